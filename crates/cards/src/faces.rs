//! Joining the faces of multi-part cards. MTGJSON gives each face of a split,
//! flip, transform, meld, modal double-faced, adventure or aftermath card as its own
//! entry (v3/v4 list the parts in `names`, v5 names every face `A // B`); Scryfall
//! gives them together in `card_faces`, except meld pieces, which are cards of their
//! own naming the melded back face. The full encoding writes a multi-part card as
//! one line, so its faces are gathered here first.
//!
//! A meld card is written as one front with the melded back face: the two fronts of
//! a meld pair each make a line, and the back's own entry makes none.

use std::collections::HashMap;

use crate::filter::DropReason;
use crate::full::{check_record, FullCard, LayoutKind};
use crate::source::SourceCard;

/// What the assembler hands on: a card to encode, or records left out and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined {
    Card(FullCard),
    /// `count` face records dropped for `reason`.
    Dropped {
        reason: DropReason,
        count: usize,
    },
}

/// Faces of one printing seen so far.
#[derive(Debug)]
struct Group {
    key: GroupKey,
    layout: &'static str,
    /// One slot per name in `key.names`.
    faces: Vec<Option<SourceCard>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct GroupKey {
    set_code: Option<String>,
    names: Vec<String>,
    /// The collector number without its face letter (`210a` → `210`).
    number: Option<String>,
}

/// Gathers face records into cards; one-part cards pass straight through.
#[derive(Debug, Default)]
pub struct FaceJoiner {
    open: Vec<Group>,
    melds: Vec<SourceCard>,
    /// Face records merged into a multi-part card other than its first face.
    pub faces_joined: usize,
}

fn number_stem(number: Option<&str>) -> Option<String> {
    number.map(|n| {
        n.trim_end_matches(|c: char| c.is_ascii_lowercase())
            .to_owned()
    })
}

/// A flipped card keeps its mana cost: MTGJSON writes it on both halves,
/// Scryfall only on the unflipped one. Written on both, so that every source
/// gives the same line (and MTGJSON v3's corpus is unchanged).
fn same_cost_when_flipped(faces: &mut [SourceCard]) {
    let front_cost = faces.first().and_then(|f| f.mana_cost.clone());
    for face in faces.iter_mut().skip(1) {
        if face.mana_cost.as_deref().is_none_or(str::is_empty) {
            face.mana_cost = front_cost.clone();
        }
    }
}

impl FaceJoiner {
    pub fn new() -> Self {
        FaceJoiner::default()
    }

    /// Takes one record; hands on whatever it completes.
    pub fn push(&mut self, card: SourceCard, out: &mut dyn FnMut(Joined)) {
        let kind = match check_record(&card) {
            Ok(kind) => kind,
            Err(reason) => return out(Joined::Dropped { reason, count: 1 }),
        };
        let layout = match kind {
            LayoutKind::MultiPart(layout) => layout,
            _ => {
                return out(Joined::Card(FullCard {
                    faces: vec![card],
                    layout: None,
                }))
            }
        };
        if layout == "meld" {
            self.melds.push(card);
            return;
        }
        if card.face_names.len() < 2 {
            return out(Joined::Dropped {
                reason: DropReason::IncompleteMultiPart,
                count: 1,
            });
        }
        let key = GroupKey {
            set_code: card.set_code.clone(),
            names: card.face_names.clone(),
            number: number_stem(card.number.as_deref()),
        };
        let slot = card
            .name
            .as_deref()
            .and_then(|name| key.names.iter().position(|n| n == name));
        let Some(slot) = slot else {
            return out(Joined::Dropped {
                reason: DropReason::IncompleteMultiPart,
                count: 1,
            });
        };
        // The oldest open group of this printing with the slot still free; a second
        // printing's faces start their own group.
        let found = self
            .open
            .iter()
            .position(|g| g.key == key && g.faces[slot].is_none());
        let index = match found {
            Some(index) => index,
            None => {
                let faces = vec![None; key.names.len()];
                self.open.push(Group { key, layout, faces });
                self.open.len() - 1
            }
        };
        self.open[index].faces[slot] = Some(card);
        if self.open[index].faces.iter().all(Option::is_some) {
            let group = self.open.remove(index);
            let mut faces: Vec<SourceCard> = group.faces.into_iter().flatten().collect();
            if group.layout == "flip" {
                same_cost_when_flipped(&mut faces);
            }
            self.faces_joined += faces.len() - 1;
            out(Joined::Card(FullCard {
                faces,
                layout: Some(group.layout),
            }));
        }
    }

    /// Hands on the meld cards and drops the faces whose other parts never came.
    pub fn finish(mut self, out: &mut dyn FnMut(Joined)) -> usize {
        for group in self.open.drain(..) {
            out(Joined::Dropped {
                reason: DropReason::IncompleteMultiPart,
                count: group.faces.iter().flatten().count(),
            });
        }
        // The back face is the last of the names, or a meld card that names only itself.
        let is_back = |card: &SourceCard| {
            card.face_names.len() < 2 || card.name.as_ref() == card.face_names.last()
        };
        let mut backs: HashMap<(Option<String>, String), &SourceCard> = HashMap::new();
        for card in self.melds.iter().filter(|c| is_back(c)) {
            if let Some(name) = &card.name {
                backs
                    .entry((card.set_code.clone(), name.clone()))
                    .or_insert(card);
            }
        }
        let mut unused = 0;
        for front in self.melds.iter().filter(|c| !is_back(c)) {
            let back_name = front.face_names.last().cloned().unwrap_or_default();
            match backs.get(&(front.set_code.clone(), back_name)) {
                Some(back) => out(Joined::Card(FullCard {
                    faces: vec![front.clone(), (*back).clone()],
                    layout: Some("meld"),
                })),
                None => unused += 1,
            }
        }
        if unused > 0 {
            out(Joined::Dropped {
                reason: DropReason::IncompleteMultiPart,
                count: unused,
            });
        }
        let back_records = self.melds.iter().filter(|c| is_back(c)).count();
        self.faces_joined += back_records;
        self.faces_joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(name: &str, names: &[&str], layout: &str, number: &str) -> SourceCard {
        SourceCard {
            name: Some(name.into()),
            set_code: Some("XYZ".into()),
            layout: Some(layout.into()),
            types: Some(vec!["Instant".into()]),
            rarity: Some("Rare".into()),
            face_names: names.iter().map(|n| n.to_string()).collect(),
            number: Some(number.into()),
            ..SourceCard::default()
        }
    }

    fn run(records: Vec<SourceCard>) -> Vec<Joined> {
        let mut joiner = FaceJoiner::new();
        let mut out = Vec::new();
        for r in records {
            joiner.push(r, &mut |j| out.push(j));
        }
        joiner.finish(&mut |j| out.push(j));
        out
    }

    fn names(joined: &Joined) -> Vec<String> {
        match joined {
            Joined::Card(card) => card.faces.iter().map(|f| f.name.clone().unwrap()).collect(),
            Joined::Dropped { .. } => vec![],
        }
    }

    #[test]
    fn a_flipped_half_without_a_cost_gets_the_cards_cost() {
        let mut top = face(
            "Akki Lavarunner",
            &["Akki Lavarunner", "Tok-Tok"],
            "flip",
            "153",
        );
        top.mana_cost = Some("{3}{R}".into());
        let bottom = face("Tok-Tok", &["Akki Lavarunner", "Tok-Tok"], "flip", "153");
        let out = run(vec![top.clone(), bottom]);
        let Joined::Card(card) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(card.faces[1].mana_cost.as_deref(), Some("{3}{R}"));
        // Other layouts' back faces stay without one.
        let mut front = face("Delver", &["Delver", "Aberration"], "transform", "51");
        front.mana_cost = Some("{U}".into());
        let back = face("Aberration", &["Delver", "Aberration"], "transform", "51");
        let Joined::Card(card) = &run(vec![front, back])[0] else {
            panic!()
        };
        assert_eq!(card.faces[1].mana_cost, None);
    }

    #[test]
    fn split_faces_join_in_printed_order_whatever_order_they_come() {
        let out = run(vec![
            face("Ice", &["Fire", "Ice"], "split", "128b"),
            face("Fire", &["Fire", "Ice"], "split", "128a"),
        ]);
        assert_eq!(out.len(), 1);
        assert_eq!(names(&out[0]), vec!["Fire", "Ice"]);
        let Joined::Card(card) = &out[0] else {
            panic!()
        };
        assert_eq!(card.layout, Some("split"));
    }

    #[test]
    fn two_printings_in_one_set_make_two_cards_and_a_lone_face_is_dropped() {
        let out = run(vec![
            face("Fire", &["Fire", "Ice"], "split", "1a"),
            face("Fire", &["Fire", "Ice"], "split", "1a"),
            face("Ice", &["Fire", "Ice"], "split", "1b"),
            face("Ice", &["Fire", "Ice"], "split", "1b"),
            face("Dusk", &["Dusk", "Dawn"], "aftermath", "2a"),
        ]);
        assert_eq!(
            out.iter().filter(|j| matches!(j, Joined::Card(_))).count(),
            2
        );
        assert!(out.contains(&Joined::Dropped {
            reason: DropReason::IncompleteMultiPart,
            count: 1
        }));
    }

    #[test]
    fn meld_fronts_each_take_the_back() {
        let names3 = ["Gisela", "Bruna", "Brisela"];
        let out = run(vec![
            face("Bruna", &names3, "meld", "15a"),
            face("Brisela", &names3, "meld", "15b"),
            face("Gisela", &names3, "meld", "28a"),
        ]);
        let cards: Vec<Vec<String>> = out.iter().map(names).collect();
        assert_eq!(
            cards,
            vec![vec!["Bruna", "Brisela"], vec!["Gisela", "Brisela"]]
        );
    }

    #[test]
    fn one_part_cards_pass_and_non_cards_are_dropped() {
        let out = run(vec![
            face("Shock", &[], "normal", "1"),
            face("Soldier", &[], "token", "T1"),
        ]);
        assert_eq!(names(&out[0]), vec!["Shock"]);
        assert_eq!(
            out[1],
            Joined::Dropped {
                reason: DropReason::NotACard,
                count: 1
            }
        );
    }
}
