//! The strict judge: would a player accept this as a printed card's text?
//!
//! The structural judge ([`crate::decode::decode`]) asks whether a line has a
//! card's fields in order. Many structurally sound lines are still not cards:
//! `creature: outhe gerin`, a name `Stone Fourh③ⒼⓊⒼ`, `deals -1 damage`,
//! `is Ⓝ is Ⓝ attacks`. The strict judge adds checks against what real cards
//! say (a [`Lexicon`] of the training corpus) and against how rules text is
//! written. Each check was tried on the validation cards, which the lexicon
//! never saw: a real card fails one only when it uses a word no training card
//! uses (about 1.5% of them, mostly other cards' names and counter names).

use serde::Serialize;

use super::design::symbols;
use super::lexicon::{
    controlled_words, counter_names, is_encoding_symbol, is_keyword_line, keyword_items,
    type_words, words, Lexicon,
};
use crate::decode::Card;

/// The hybrid and Phyrexian mana symbols of real cards, as printed.
const REAL_SPLIT_SYMBOLS: [&str; 20] = [
    "W/U", "U/B", "B/R", "R/G", "G/W", "W/B", "U/R", "B/G", "R/W", "G/U", "2/W", "2/U", "2/B",
    "2/R", "2/G", "W/P", "U/P", "B/P", "R/P", "G/P",
];

/// What is wrong with the order of a cost's plain coloured symbols, if
/// anything: a colour in two places ({B}{W}{B}). (Real cards also print two
/// and three colours in one order each, {R}{G} and never {G}{R}; a player
/// hardly notices that one, and judging it lost plausible cards in the
/// reading, so it is not judged.)
fn colour_order_problem(symbols: &[String]) -> Option<String> {
    let colours: Vec<&str> = symbols
        .iter()
        .map(String::as_str)
        .filter(|s| matches!(*s, "W" | "U" | "B" | "R" | "G"))
        .collect();
    let mut order = String::new();
    for (i, c) in colours.iter().enumerate() {
        if i > 0 && colours[i - 1] == *c {
            continue;
        }
        if order.contains(c) {
            return Some(format!(
                "{{{c}}} in two places in the mana cost (real cards print a colour's symbols together)"
            ));
        }
        order.push_str(c);
    }
    None
}

/// A sentence of `ability` that starts as a trigger ("Whenever you pay 6
/// life.") and never says what happens: no comma, no colon. No training
/// card has one (what it grants in quotes is left out).
fn trigger_without_effect(ability: &str) -> Option<String> {
    let own = super::design::unquoted(ability);
    own.split(". ")
        .map(|s| s.trim().trim_end_matches('.'))
        .find(|s| {
            let lower = s.to_lowercase();
            ["when ", "whenever ", "at the beginning of "]
                .iter()
                .any(|t| lower.starts_with(t))
                && !s.contains([',', ':'])
        })
        .map(str::to_owned)
}

/// At most this many unknown words are named in one reason.
const MAX_NAMED: usize = 3;

/// The strict verdict on one card.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StrictVerdict {
    /// Structurally well-formed and no strict problem.
    pub well_formed: bool,
    /// Why not: the structural problems first, then the strict ones.
    pub problems: Vec<String>,
}

fn quoted(list: &[String]) -> String {
    let shown: Vec<String> = list
        .iter()
        .take(MAX_NAMED)
        .map(|w| format!("\"{w}\""))
        .collect();
    let more = list.len().saturating_sub(MAX_NAMED);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// A loyalty ability's cost at the start of an ability (`+2:`, `−1:`, `0:`).
fn loyalty_cost(ability: &str) -> Option<&str> {
    let (cost, _) = ability.split_once(':')?;
    let digits = cost.trim_start_matches(['+', '−', '-']);
    let signed = cost.len() != digits.len();
    let number = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == 'x');
    (number && (signed || digits == "0")).then_some(cost)
}

/// A cost that starts with a sign but is no loyalty cost (`−U{G}:`): real
/// abilities that start with `+` or `−` are all loyalty abilities.
fn signed_cost(ability: &str) -> Option<&str> {
    let (cost, _) = ability.split_once(':')?;
    (cost.starts_with(['+', '−', '-']) && !cost.contains(' ') && loyalty_cost(ability).is_none())
        .then_some(cost)
}

/// A signed number (`-1`, `+2`) that is neither part of a `+N/+N` change nor
/// a loyalty cost: real cards write no other (`deals -1 damage`).
fn stray_signed_number(ability: &str) -> Option<String> {
    let chars: Vec<char> = ability.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let sign = c == '+' || c == '-' || c == '−';
        let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '/');
        if sign
            && !after_word
            && chars
                .get(i + 1)
                .is_some_and(|d| d.is_ascii_digit() || *d == 'x' || *d == 'X')
        {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || chars[j] == 'x' || chars[j] == 'X')
            {
                j += 1;
            }
            let next = chars.get(j).copied();
            let pt_change = next == Some('/');
            let loyalty = i == 0 && next == Some(':');
            let word_inside = next.is_some_and(char::is_alphabetic);
            if !pt_change && !loyalty && !word_inside {
                return Some(chars[i..j].iter().collect());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

/// The same one to three words written twice in a row (`is Ⓝ is Ⓝ`); real
/// rules text never stutters (mana symbols such as `{E}{E}` are not words).
fn stutter(ability: &str, own_name: &str) -> Option<String> {
    // The card's name is one token, as Ⓝ is in the encoding; commas and full
    // stops are tokens of their own (`draw a card, draw a card` is no stutter).
    let mut text = ability.to_lowercase();
    let own = own_name.to_lowercase();
    if !own.is_empty() {
        text = text.replace(&own, "~");
    }
    let text = text.replace(',', " , ").replace('.', " . ");
    let tokens: Vec<&str> = text.split_whitespace().collect();
    for n in 1..=3 {
        for i in 0..tokens.len().saturating_sub(2 * n - 1) {
            let (a, b) = (&tokens[i..i + n], &tokens[i + n..i + 2 * n]);
            let wordy = a
                .iter()
                .any(|t| *t == "~" || t.chars().filter(|c| c.is_alphabetic()).count() >= 2);
            if a == b && wordy {
                let shown = tokens[i..i + 2 * n].join(" ");
                return Some(if own.is_empty() {
                    shown
                } else {
                    shown.replace('~', own_name)
                });
            }
        }
    }
    None
}

fn balanced(text: &str, open: char, close: char) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
    }
    depth == 0
}

/// Judges a decoded card against what real cards say.
pub fn judge(card: &Card, lex: &Lexicon) -> StrictVerdict {
    let mut problems = card.problems.clone();
    let mut add = |p: String| {
        if !problems.contains(&p) {
            problems.push(p);
        }
    };

    // Internal symbols: a player never sees the encoding's characters.
    let fields: [(&str, &str); 4] = [
        ("name", &card.name),
        ("type", &card.type_line),
        ("P/T", &card.pt),
        ("cost", &card.cost),
    ];
    for (label, text) in fields {
        if let Some(c) = text.chars().find(|&c| is_encoding_symbol(c)) {
            add(format!("internal symbol {c} in the {label}"));
        }
    }
    for ability in &card.abil {
        if let Some(c) = ability.chars().find(|&c| is_encoding_symbol(c)) {
            add(format!("internal symbol {c} in an ability"));
        }
    }

    // The name: written as names are, and not a piece of rules text.
    let name = card.name.to_lowercase();
    if let Some(c) = name
        .chars()
        .find(|&c| !lex.name_chars.contains(c) && !is_encoding_symbol(c))
    {
        add(format!("the name has {c:?}, which no card name has"));
    }
    let name_len = card.name.split_whitespace().count();
    if name_len > lex.max_name_words {
        add(format!(
            "a name of {name_len} words (real names have at most {})",
            lex.max_name_words
        ));
    }
    let rules_words: Vec<String> = words(&card.name)
        .into_iter()
        .filter(|w| lex.rules_only_words.contains(w))
        .collect();
    if rules_words.len() >= 2 {
        add(format!(
            "the name reads as rules text ({})",
            quoted(&rules_words)
        ));
    }

    // Types: words and combinations real cards print.
    let types = type_words(card);
    let unknown: Vec<String> = types
        .iter()
        .filter(|t| !lex.type_words.contains(*t))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        add(format!("type word {} no real card has", quoted(&unknown)));
    } else if !types.is_empty() {
        let mut sorted = types.clone();
        sorted.sort();
        let combination = sorted.join(" ");
        if !lex.type_combinations.contains(&combination) {
            add(format!("no real card is a \"{combination}\""));
        }
    }
    for sub in &card.subtypes {
        let sub = sub.to_lowercase();
        match lex.subtypes.get(&sub) {
            None => add(format!("subtype \"{sub}\" no real card has")),
            Some(with) if !types.iter().any(|t| with.contains(t)) => add(format!(
                "subtype \"{sub}\" on a {} (real ones are on: {})",
                types.join(" "),
                with.iter().cloned().collect::<Vec<_>>().join(", ")
            )),
            Some(_) => {}
        }
    }

    // Hybrid and Phyrexian symbols: only the pairs real cards print, in
    // their printed order ({G/U}, never {U/G} or {G/G}).
    let braced = card
        .faces
        .iter()
        .flat_map(|f| f.mana_symbols.iter().cloned())
        .chain(card.abil.iter().flat_map(|a| symbols(a)));
    for symbol in braced {
        let upper = symbol.to_uppercase();
        if upper.contains('/') && !REAL_SPLIT_SYMBOLS.contains(&upper.as_str()) {
            add(format!(
                "the mana symbol {{{upper}}}, which no real card prints"
            ));
        }
    }

    // The mana cost's colours together, as real cards print them ({B}{W}{B}
    // is never printed: no training card has a colour in two places).
    for face in &card.faces {
        if let Some(problem) = colour_order_problem(&face.mana_symbols) {
            add(problem);
        }
    }

    // The rarity: "basic land" is printed on lands only (14 training cards,
    // every one a land).
    if card.rare.eq_ignore_ascii_case("basic land") && !types.iter().any(|t| t == "land") {
        add("the rarity \"basic land\" on a card that is no land".to_owned());
    }

    // P/T: creatures and vehicles only (the structural judge checks creatures),
    // and within what real cards print.
    let vehicle = card
        .subtypes
        .iter()
        .any(|s| s.eq_ignore_ascii_case("vehicle"));
    if vehicle && card.power.is_none() {
        add("vehicle without P/T".to_owned());
    }
    let number = |s: &Option<String>| s.as_deref().and_then(|v| v.parse::<u32>().ok());
    if let Some(p) = number(&card.power).filter(|&p| p > lex.max_power) {
        add(format!(
            "power {p} (real cards have at most {})",
            lex.max_power
        ));
    }
    if let Some(t) = number(&card.toughness).filter(|&t| t > lex.max_toughness) {
        add(format!(
            "toughness {t} (real cards have at most {})",
            lex.max_toughness
        ));
    }

    // Loyalty: planeswalkers have loyalty abilities, nothing else has.
    let planeswalker = types.iter().any(|t| t == "planeswalker");
    let loyalty: Vec<&str> = card.abil.iter().filter_map(|a| loyalty_cost(a)).collect();
    if planeswalker && loyalty.is_empty() {
        add("planeswalker without loyalty abilities (+N:, −N:)".to_owned());
    }
    if !planeswalker {
        if let Some(cost) = loyalty.first() {
            add(format!("loyalty ability \"{cost}:\" on a non-planeswalker"));
        }
    }

    // Abilities.
    let vanilla = card.abil.len() == 1 && card.abil[0].trim().is_empty();
    if vanilla && !types.iter().any(|t| t == "creature") {
        add("no rules text on a non-creature".to_owned());
    } else if !vanilla && card.abil.iter().any(|a| a.trim().is_empty()) {
        add("empty ability line".to_owned());
    }
    let own: Vec<String> = words(&card.name);
    let mut unknown_words: Vec<String> = Vec::new();
    for ability in &card.abil {
        let a = ability.trim();
        if a.is_empty() {
            continue;
        }
        if !balanced(a, '(', ')') {
            add("unbalanced parentheses in an ability".to_owned());
        }
        if a.matches('"').count() % 2 != 0 {
            add("unbalanced quotes in an ability".to_owned());
        }
        for w in words(a) {
            // The card's own name, possessive too (`Soulflayer's delve ability`).
            let own_word = own.contains(&w)
                || w.strip_suffix("'s")
                    .is_some_and(|stem| own.iter().any(|o| o == stem));
            if !lex.words.contains(&w) && !own_word && !unknown_words.contains(&w) {
                unknown_words.push(w);
            }
        }
        if is_keyword_line(a) {
            let protection = a.to_lowercase().starts_with("protection from");
            let unknown_keywords: Vec<String> = keyword_items(a)
                .into_iter()
                .filter(|k| {
                    // `protection from vampires, from werewolves, and from zombies`
                    let continued =
                        protection && (k.starts_with("from ") || k.starts_with("and from "));
                    let head_ok = k
                        .split_once(' ')
                        .is_some_and(|(head, _)| lex.keyword_heads.contains(head));
                    !lex.keywords.contains(k) && !head_ok && !continued
                })
                .collect();
            if !unknown_keywords.is_empty() {
                add(format!(
                    "unknown keyword or unfinished sentence {}",
                    quoted(&unknown_keywords)
                ));
            }
        } else if !a.ends_with(['.', '"', ')', '—']) {
            add(format!("an ability stops mid-sentence (\"…{}\")", tail(a)));
        }
        if let Some(trigger) = trigger_without_effect(a) {
            add(format!("a trigger with no effect (\"{trigger}\")"));
        }
        let mut counters: Vec<String> = counter_names(a)
            .into_iter()
            .filter(|c| !lex.counters.contains(c))
            .collect();
        counters.dedup();
        if !counters.is_empty() {
            add(format!("counter {} no real card uses", quoted(&counters)));
        }
        if let Some(w) = controlled_words(a)
            .into_iter()
            .find(|w| !lex.can_be_controlled(w))
        {
            add(format!(
                "\"{w} you control\": no real card says a player controls a {w}"
            ));
        }
        if let Some(cost) = signed_cost(a) {
            add(format!(
                "\"{cost}:\" is neither a mana cost nor a loyalty cost"
            ));
        }
        if let Some(n) = stray_signed_number(a) {
            add(format!("\"{n}\" outside a +N/+N change or a loyalty cost"));
        }
        if let Some(s) = stutter(a, &card.name) {
            add(format!("words repeated: \"{s}\""));
        }
    }
    if !unknown_words.is_empty() {
        add(format!(
            "rules text with {} {} no real card uses",
            if unknown_words.len() == 1 {
                "word"
            } else {
                "words"
            },
            quoted(&unknown_words)
        ));
    }

    StrictVerdict {
        well_formed: problems.is_empty(),
        problems,
    }
}

/// The last few words of a text, to show where it stops.
fn tail(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(4)..].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode_with, Card, Rules};

    /// The sample lines are of the seed's encoding.
    fn decode(line: &str) -> Card {
        decode_with(line, Rules::Seed)
    }
    use crate::judge::lexicon::tests::sample_lines;

    /// The sample cards, each 30 times, so that their frequent rules words
    /// count as rules words.
    fn lexicon() -> Lexicon {
        let lines: Vec<String> = (0..30).flat_map(|_| sample_lines()).collect();
        Lexicon::from_lines(&lines)
    }

    fn problems(line: &str) -> Vec<String> {
        judge(&decode(line), &lexicon()).problems
    }

    fn fails_with(line: &str, reason: &str) {
        let p = problems(line);
        assert!(
            p.iter().any(|x| x.contains(reason)),
            "{line}: expected {reason:?} in {p:?}"
        );
    }

    #[test]
    fn real_cards_pass() {
        let lex = lexicon();
        for line in sample_lines() {
            let v = judge(&decode(&line), &lex);
            assert!(v.well_formed, "{line}: {:?}", v.problems);
        }
        // A new card in real words passes too.
        let v = judge(
            &decode("Ⓢsky hunter⒞②Ⓦ⒭C⒯creature:angel⒫2/2⒜flying⒜when Ⓝ enters the battlefield, draw a card.Ⓔ"),
            &lex,
        );
        assert!(v.well_formed, "{:?}", v.problems);
        // Costs as real cards print them.
        for cost in [
            &["2", "W", "U"][..],
            &["G", "G", "W"],
            &["1", "G", "R"],
            &["B", "R", "G"],
            &["2", "W/B", "W/B"],
            &["W", "U", "B", "R", "G"],
        ] {
            let cost: Vec<String> = cost.iter().map(|s| s.to_string()).collect();
            assert_eq!(colour_order_problem(&cost), None, "{cost:?}");
        }
    }

    #[test]
    fn invented_type_words_fail() {
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯creature:outhe gerin⒫1/1⒜flyingⒺ",
            "subtype \"outhe\" no real card has",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯planeswalker:feroticonor⒜+1: draw a card.Ⓔ",
            "subtype \"feroticonor\"",
        );
        fails_with("Ⓢmercy⒞Ⓦ⒭C⒯dorest⒜draw a card.Ⓔ", "type word \"dorest\"");
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯instant creature⒫1/1⒜flyingⒺ",
            "no real card is a",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯creature:aura⒫1/1⒜flyingⒺ",
            "subtype \"aura\" on a creature",
        );
    }

    #[test]
    fn the_issues_bad_cards_fail() {
        // A stuttering sentence.
        fails_with(
            "Ⓢlastblade beast⒞③Ⓦ⒭C⒯creature:angel⒫2/2⒜whenever Ⓝ attacks, target creature can't block is Ⓝ is Ⓝ attacks.Ⓔ",
            "words repeated",
        );
        // Negative damage, and a loyalty ability on an enchantment.
        fails_with(
            "Ⓢmercy⒞Ⓡ⒭C⒯instant⒜Ⓝ deals -1 damage to any target.Ⓔ",
            "\"-1\" outside",
        );
        fails_with(
            "Ⓢmercy⒞Ⓖ⒭C⒯enchantment⒜−6: target creature gets +1/+1 until end of turn.Ⓔ",
            "loyalty ability \"−6:\" on a non-planeswalker",
        );
        // A signed cost that is no loyalty cost, on a creature (v2's reading).
        fails_with(
            "Ⓢgoblin benewalker⒞Ⓑ⒭U⒯creature:angel⒫3/1⒜−uⒼ: regenerate Ⓝ.Ⓔ",
            "\"−U{G}:\" is neither a mana cost nor a loyalty cost",
        );
        // Something no real card says a player controls (v2's reading).
        fails_with(
            "Ⓢfalfining guildgate⒞②Ⓑ⒭U⒯creature:angel⒫1/2⒜Ⓑ, ↷: draw a card for each gale you control.Ⓔ",
            "\"gale you control\"",
        );
        // Mana symbols in the name.
        fails_with(
            "Ⓢstone fourh③ⒼⓊⒼ⒞⒭C⒯creature:angel⒫1/1⒜flyingⒺ",
            "internal symbol",
        );
    }

    #[test]
    fn each_strict_check_has_its_reason() {
        // A held-out seed's default card: a P/T counter no card has.
        fails_with(
            "Ⓢjull carson⒞①Ⓤ⒭C⒯creature:shade⒫1/2⒜when Ⓝ enters the battlefield, you may put a +2/+1 counter on Ⓝ.Ⓔ",
            "counter \"+2/+1\" no real card uses",
        );
        // A held-out seed's default card: a trigger and nothing after it.
        fails_with(
            "Ⓢsapprekunt⒞③ⒼⒼ⒭U⒯enchantment⒜whenever you pay 6 life.Ⓔ",
            "a trigger with no effect (\"Whenever you pay 6 life\")",
        );
        // The shipped model's: costs printed out of order.
        fails_with(
            "Ⓢwildwind vassdeam⒞ⒷⓌⒷ⒭M⒯creature:human soldier⒫2/4⒜persistⒺ",
            "{B} in two places in the mana cost",
        );
        // The shipped model's: hybrids no real card prints.
        fails_with(
            "Ⓢballowmer⒞②{G/G}{B/G}{B/G}{R/W}{U/G}⒭C⒯creature:bird⒫4/6⒜defenderⒺ",
            "the mana symbol {G/G}, which no real card prints",
        );
        // The shipped model's: a one-mana rock of rarity "basic land".
        fails_with(
            "Ⓢmetall pastals⒞①⒭B⒯artifact⒜↷: add Ⓖ.Ⓔ",
            "the rarity \"basic land\" on a card that is no land",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯instant⒜draw a card.⒜⒜flyingⒺ",
            "empty ability line",
        );
        fails_with("Ⓢmercy⒞Ⓦ⒭C⒯instant⒜Ⓔ", "no rules text on a non-creature");
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯enchantment⒜enchanted creature has \"↷: add Ⓖ.Ⓔ",
            "unbalanced quotes",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯instant⒜draw a card (then discard.Ⓔ",
            "unbalanced parentheses",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯instant⒜draw a blorptastic card.Ⓔ",
            "\"blorptastic\"",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯creature:angel⒫1/1⒜flurgwalkⒺ",
            "unknown keyword",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯creature:angel⒫1/1⒜when Ⓝ enters the battlefield, draw a cardⒺ",
            "unfinished sentence",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯creature:angel⒫1/1⒜↷: draw a cardⒺ",
            "mid-sentence",
        );
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯artifact⒜put a target counter on Ⓝ.Ⓔ",
            "counter \"target\" no real card uses",
        );
        fails_with("Ⓢmercy⒞Ⓦ⒭C⒯artifact:vehicle⒜crew 1Ⓔ", "vehicle without P/T");
        fails_with("Ⓢmercy⒞Ⓦ⒭C⒯creature:angel⒫9/99⒜flyingⒺ", "toughness 99");
        fails_with(
            "Ⓢmercy⒞Ⓦ⒭C⒯planeswalker:jace⒜draw a card.Ⓔ",
            "planeswalker without loyalty",
        );
        fails_with(
            "Ⓢtarget enters battlefield⒞Ⓦ⒭C⒯instant⒜draw a card.Ⓔ",
            "reads as rules text",
        );
        fails_with(
            "Ⓢone two three four five six⒞Ⓦ⒭C⒯instant⒜draw a card.Ⓔ",
            "a name of 6 words",
        );
        fails_with(
            "Ⓢmercy: y⒞Ⓦ⒭C⒯instant⒜draw a card.Ⓔ",
            "which no card name has",
        );
        // Keyword heads take new arguments; a known keyword with a cost passes.
        let v = judge(
            &decode("Ⓢmercy⒞Ⓦ⒭C⒯enchantment:aura⒜enchant angel⒜enchanted creature can't block.Ⓔ"),
            &lexicon(),
        );
        assert!(v.well_formed, "{:?}", v.problems);
        // Structural problems come first and make the card fail.
        let p = problems("Ⓢmercy⒞Ⓦ⒭C⒯instant⒜draw a card.");
        assert!(p[0].contains("does not end"), "{p:?}");
    }

    #[test]
    fn helpers() {
        assert_eq!(loyalty_cost("+2: draw."), Some("+2"));
        assert_eq!(loyalty_cost("0: draw."), Some("0"));
        assert_eq!(loyalty_cost("−x: draw."), Some("−x"));
        assert_eq!(loyalty_cost("{T}: add {G}."), None);
        assert_eq!(loyalty_cost("2: draw."), None);
        assert_eq!(stray_signed_number("gets +1/+1 and -0/-2."), None);
        assert_eq!(stray_signed_number("+1: draw."), None);
        assert_eq!(stray_signed_number("gets -x/-x."), None);
        assert_eq!(stray_signed_number("deals -1 damage."), Some("-1".into()));
        assert_eq!(stray_signed_number("non-1"), None);
        assert_eq!(stutter("you get {E}{E}.", ""), None);
        assert_eq!(stutter("create x x/x tokens.", ""), None);
        assert_eq!(stutter("draw a card, draw a card.", ""), None);
        assert_eq!(
            stutter("draw a card draw a card.", ""),
            Some("draw a card draw a card".into())
        );
        assert_eq!(
            stutter("when Big Cat is Big Cat attacks", "Big Cat"),
            None,
            "one token: `is Ⓝ is Ⓝ` needs two repeats"
        );
        assert_eq!(
            stutter("is Big Cat is Big Cat attacks", "Big Cat"),
            Some("is Big Cat is Big Cat".into())
        );
    }
}
