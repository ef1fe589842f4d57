//! Vocabularies: cardlm's (`vocab.json`) and the seed's i2c/c2i (section 4 of the spec).

use std::collections::HashMap;

use crate::markers::{END, START};

/// Every character of `lines` except `Ⓔ`, with its count, by falling count; ties in
/// order of first appearance when scanning the lines in order.
pub fn ranked_characters<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<(char, usize)> {
    // (count, first appearance) per character.
    let mut seen: HashMap<char, (usize, usize)> = HashMap::new();
    let mut next_index = 0usize;
    for line in lines {
        for c in line.chars() {
            let entry = seen.entry(c).or_insert_with(|| {
                next_index += 1;
                (0, next_index)
            });
            entry.0 += 1;
        }
    }
    let mut ranked: Vec<(char, usize, usize)> = seen
        .into_iter()
        .filter(|(c, _)| *c != END)
        .map(|(c, (count, first))| (c, count, first))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    ranked.into_iter().map(|(c, count, _)| (c, count)).collect()
}

/// cardlm's vocabulary, index → character: `Ⓔ` (padding and end), then every other
/// character by falling count (ties by first appearance), `Ⓢ` last; each once. This is
/// the seed's i2c without the earlier of its two `Ⓢ`.
pub fn build_vocab<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<char> {
    let mut vocab = vec![END];
    vocab.extend(
        ranked_characters(lines)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|&c| c != START),
    );
    vocab.push(START);
    vocab
}

/// The seed's i2c: `Ⓔ`, every other character by falling count (ties by first
/// appearance, `Ⓢ` among them), then `Ⓢ` once more. `Ⓢ` is listed twice.
pub fn seed_i2c<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<char> {
    let mut i2c = vec![END];
    i2c.extend(ranked_characters(lines).into_iter().map(|(c, _)| c));
    i2c.push(START);
    i2c
}

/// The seed's c2i, built from i2c in order so that the later index wins
/// (`c2i['Ⓢ'] == len(c2i)`). Entries in Python's dict order: a key keeps the
/// position of its first insertion and the value of its last.
pub fn seed_c2i(i2c: &[char]) -> Vec<(char, usize)> {
    let mut entries: Vec<(char, usize)> = Vec::with_capacity(i2c.len());
    let mut position: HashMap<char, usize> = HashMap::new();
    for (index, &c) in i2c.iter().enumerate() {
        match position.get(&c) {
            Some(&at) => entries[at].1 = index,
            None => {
                position.insert(c, entries.len());
                entries.push((c, index));
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocab_orders_by_count_then_first_appearance() {
        let lines = ["ⓈbaⒺ", "ⓈabcⒺ"];
        // a:2 b:2 c:1 Ⓢ:2; b appears before a, Ⓢ first of all.
        assert_eq!(build_vocab(lines), vec!['Ⓔ', 'b', 'a', 'c', 'Ⓢ']);
        assert_eq!(seed_i2c(lines), vec!['Ⓔ', 'Ⓢ', 'b', 'a', 'c', 'Ⓢ']);
        let c2i = seed_c2i(&seed_i2c(lines));
        assert_eq!(c2i, vec![('Ⓔ', 0), ('Ⓢ', 5), ('b', 2), ('a', 3), ('c', 4)]);
        assert_eq!(c2i.len(), 5, "c2i['Ⓢ'] == len(c2i)");
    }
}
