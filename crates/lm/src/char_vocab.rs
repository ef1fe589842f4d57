//! The character vocabulary: index → character, read from `vocab.json`
//! (a JSON array of one-character strings).

use crate::error::{LmError, Result};
use std::collections::HashMap;
use std::path::Path;

#[derive(Clone, Debug, PartialEq)]
pub struct Vocab {
    chars: Vec<char>,
    index: HashMap<char, u32>,
}

impl Vocab {
    /// A vocabulary from its characters in index order; each must be unique.
    pub fn new(chars: Vec<char>) -> Result<Self> {
        let mut index = HashMap::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            if index.insert(c, i as u32).is_some() {
                return Err(LmError::format(format!("character {c:?} is listed twice")));
            }
            // Never in a corpus (cardlm prepare drops them), and a model that could
            // sample one would write raw newlines or terminal escapes.
            if c.is_control() {
                return Err(LmError::format(format!(
                    "the control character {c:?} is in the vocabulary; no text may contain it"
                )));
            }
        }
        Ok(Vocab { chars, index })
    }

    pub fn from_json(text: &str) -> Result<Self> {
        let items: Vec<String> = serde_json::from_str(text)
            .map_err(|e| LmError::format(format!("not a JSON array of characters: {e}")))?;
        let chars = items
            .iter()
            .map(|s| {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Ok(c),
                    _ => Err(LmError::format(format!("entry {s:?} is not one character"))),
                }
            })
            .collect::<Result<Vec<char>>>()?;
        Vocab::new(chars)
    }

    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| LmError::io(path, e))?;
        Vocab::from_json(&text).map_err(|e| e.in_file(path))
    }

    pub fn to_json(&self) -> String {
        let items: Vec<String> = self.chars.iter().map(|c| c.to_string()).collect();
        serde_json::to_string(&items).expect("strings serialise")
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn id(&self, c: char) -> Option<u32> {
        self.index.get(&c).copied()
    }

    pub fn char(&self, id: u32) -> Option<char> {
        self.chars.get(id as usize).copied()
    }

    /// Token ids of `text`, or the characters that are not in the vocabulary.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, Vec<char>> {
        let mut ids = Vec::with_capacity(text.len());
        let mut unknown = Vec::new();
        for c in text.chars() {
            match self.id(c) {
                Some(i) => ids.push(i),
                None if !unknown.contains(&c) => unknown.push(c),
                None => {}
            }
        }
        if unknown.is_empty() {
            Ok(ids)
        } else {
            Err(unknown)
        }
    }

    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter().filter_map(|&i| self.char(i)).collect()
    }
}
