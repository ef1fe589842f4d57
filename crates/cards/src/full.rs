//! The full encoding (`docs/encoding.md`): every real card, lands, hybrid and
//! Phyrexian costs, `*` power, loyalty, defense and multi-part cards on one line.
//!
//! It is a strict extension of the seed's encoding: a card the seed keeps is written
//! exactly as the seed writes it, except that a planeswalker's loyalty is added
//! (`⒧`), which the seed had no place for. New parts use new markers: `⒨` layout,
//! `⒧` loyalty, `⒟` defense, `⒡` flavor, `⒝` next face. Mana symbols the seed had
//! no character for stay in braces as the seed left them (`{W/U}`, `{2/W}`, `{G/P}`,
//! `{S}`, `{0}`), so no new symbol characters are needed.

use crate::encode::{write_face, FaceExtras};
use crate::filter::DropReason;
use crate::markers::{END, FACE, MULTI_PART_LAYOUTS, START};
use crate::source::SourceCard;

/// Options of the full encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FullOptions {
    /// Write flavor text (`⒡`).
    pub flavor: bool,
}

/// A card ready for the full encoding: its faces in printed order (one for most
/// cards) and, for a multi-part card, its layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullCard {
    pub faces: Vec<SourceCard>,
    /// One of [`MULTI_PART_LAYOUTS`], or `None` for a one-part card.
    pub layout: Option<&'static str>,
}

/// What a source's `layout` means for the full encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutKind {
    /// One face: `normal`, and the one-face layouts that print like it
    /// (`leveler`, `saga`, `class`, `case`, `mutate`, `prototype`).
    OnePart,
    /// One of [`MULTI_PART_LAYOUTS`].
    MultiPart(&'static str),
    /// Tokens, emblems, planes, schemes, vanguards, art cards...: not cards of the game.
    NotACard,
    /// A layout cardlm does not know.
    Unknown,
}

/// Layouts that print as one ordinary face.
const ONE_PART_LAYOUTS: [&str; 7] = [
    "normal",
    "leveler",
    "saga",
    "class",
    "case",
    "mutate",
    "prototype",
];

/// Layouts of things that are not cards one plays from a deck.
const NOT_CARD_LAYOUTS: [&str; 14] = [
    "token",
    "double_faced_token",
    "emblem",
    "plane",
    "planar",
    "phenomenon",
    "scheme",
    "vanguard",
    "art_series",
    "reversible_card",
    "augment",
    "host",
    "dungeon",
    "minigame",
];

/// Card types of things that are not cards one plays from a deck.
const NOT_CARD_TYPES: [&str; 8] = [
    "Token",
    "Emblem",
    "Plane",
    "Phenomenon",
    "Scheme",
    "Vanguard",
    "Dungeon",
    "Card",
];

/// Joke sets (Unglued, Unhinged, Unstable, Unsanctioned, Unfinity and their promos).
const UN_SETS: [&str; 7] = ["UGL", "UNH", "UST", "UND", "UNF", "PUST", "PUNH"];

/// Classifies a source layout; MTGJSON v3's `double-faced` is `transform`.
pub fn layout_kind(layout: Option<&str>) -> LayoutKind {
    let Some(layout) = layout else {
        return LayoutKind::OnePart;
    };
    let layout = layout.to_ascii_lowercase().replace('-', "_");
    let layout = match layout.as_str() {
        "double_faced" => "transform",
        other => other,
    };
    if ONE_PART_LAYOUTS.contains(&layout) {
        LayoutKind::OnePart
    } else if let Some(known) = MULTI_PART_LAYOUTS.iter().find(|l| **l == layout) {
        LayoutKind::MultiPart(known)
    } else if NOT_CARD_LAYOUTS.contains(&layout) {
        LayoutKind::NotACard
    } else {
        LayoutKind::Unknown
    }
}

/// The checks of the full encoding on one face record, before faces are joined:
/// joke sets and non-cards stay out.
pub fn check_record(card: &SourceCard) -> Result<LayoutKind, DropReason> {
    let kind = layout_kind(card.layout.as_deref());
    let un_set = card
        .set_code
        .as_deref()
        .is_some_and(|code| UN_SETS.contains(&code));
    if un_set || card.funny {
        return Err(DropReason::UnSet);
    }
    match kind {
        LayoutKind::NotACard => return Err(DropReason::NotACard),
        LayoutKind::Unknown => return Err(DropReason::UnknownLayout),
        _ => {}
    }
    if card
        .types
        .as_deref()
        .is_some_and(|types| types.iter().any(|t| NOT_CARD_TYPES.contains(&t.as_str())))
    {
        return Err(DropReason::NotACard);
    }
    Ok(kind)
}

/// The checks of the full encoding on a joined card: every face needs a name and
/// types, the card a rarity.
pub fn check_full_card(card: &FullCard) -> Result<(), DropReason> {
    if card.faces.is_empty() {
        return Err(DropReason::MissingName);
    }
    for face in &card.faces {
        if face.name.as_deref().is_none_or(str::is_empty) {
            return Err(DropReason::MissingName);
        }
        if face.types.as_deref().is_none_or(<[String]>::is_empty) {
            return Err(DropReason::MissingTypes);
        }
    }
    // Some data (MTGJSON v3's Nissa, Steward of Elements) lacks a front face's loyalty.
    let front = &card.faces[0];
    let planeswalker = front
        .types
        .as_deref()
        .is_some_and(|t| t.iter().any(|t| t == "Planeswalker"));
    if planeswalker && front.loyalty.as_deref().is_none_or(str::is_empty) {
        return Err(DropReason::MissingLoyalty);
    }
    let rarity = card.faces.first().and_then(|f| f.rarity.as_deref());
    if rarity.is_none_or(str::is_empty) {
        return Err(DropReason::MissingRarity);
    }
    Ok(())
}

/// The full encoding's line for a card (unchecked: see [`check_full_card`]).
pub fn encode_full(card: &FullCard, options: &FullOptions) -> String {
    let extras = FaceExtras {
        loyalty_and_defense: true,
        flavor: options.flavor,
    };
    let mut line = String::with_capacity(320);
    line.push(START);
    for (index, face) in card.faces.iter().enumerate() {
        if index == 0 {
            write_face(&mut line, face, Some(face), card.layout, &extras);
        } else {
            line.push(FACE);
            write_face(&mut line, face, None, None, &extras);
        }
    }
    line.push(END);
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::encode_card;

    fn face(name: &str, cost: Option<&str>, types: &[&str], text: &str) -> SourceCard {
        SourceCard {
            name: Some(name.into()),
            layout: Some("normal".into()),
            types: Some(types.iter().map(|t| t.to_string()).collect()),
            mana_cost: cost.map(str::to_owned),
            rarity: Some("Rare".into()),
            text: Some(text.into()),
            ..SourceCard::default()
        }
    }

    fn one(card: SourceCard) -> String {
        encode_full(
            &FullCard {
                faces: vec![card],
                layout: None,
            },
            &FullOptions::default(),
        )
    }

    #[test]
    fn a_card_the_seed_keeps_is_the_seeds_line() {
        let mut bears = face("Grizzly Bears", Some("{1}{G}"), &["Creature"], "");
        bears.subtypes = vec!["Bear".into()];
        bears.power = Some("2".into());
        bears.toughness = Some("2".into());
        bears.flavor = Some("Don't try to outrun one.".into());
        assert_eq!(one(bears.clone()), encode_card(&bears).unwrap());
    }

    #[test]
    fn lands_have_an_empty_cost_and_hybrid_stays_in_braces() {
        let mut forest = face("Forest", None, &["Land"], "({T}: Add {G}.)");
        forest.supertypes = vec!["Basic".into()];
        forest.subtypes = vec!["Forest".into()];
        forest.rarity = Some("Basic Land".into());
        assert_eq!(one(forest), "Ⓢforest⒞⒭B⒯land:forest⒜(↷: add Ⓖ.)Ⓔ");
        let hybrid = face("Kitchen Finks", Some("{1}{G/W}{G/W}"), &["Creature"], "");
        assert!(one(hybrid).starts_with("Ⓢkitchen finks⒞①{G/W}{G/W}⒭R"));
    }

    #[test]
    fn loyalty_defense_and_star_power() {
        let mut jace = face(
            "Jace Beleren",
            Some("{1}{U}{U}"),
            &["Planeswalker"],
            "+2: Each player draws a card.",
        );
        jace.subtypes = vec!["Jace".into()];
        jace.loyalty = Some("3".into());
        assert_eq!(
            one(jace),
            "Ⓢjace beleren⒞①ⓊⓊ⒭R⒯planeswalker:jace⒧3⒜+2: each player draws a card.Ⓔ"
        );
        let mut tarmo = face("Tarmogoyf", Some("{1}{G}"), &["Creature"], "");
        tarmo.power = Some("*".into());
        tarmo.toughness = Some("1+*".into());
        assert!(one(tarmo).contains("⒫*/1+*⒜"));
        let mut battle = face("Invasion of Zendikar", Some("{3}{G}"), &["Battle"], "");
        battle.defense = Some("3".into());
        assert!(one(battle).contains("⒯battle⒟3⒜"));
    }

    #[test]
    fn two_faces_with_the_layout_after_the_rarity() {
        let mut front = face("Delver of Secrets", Some("{U}"), &["Creature"], "");
        front.power = Some("1".into());
        front.toughness = Some("1".into());
        let mut back = face("Insectile Aberration", None, &["Creature"], "Flying");
        back.power = Some("3".into());
        back.toughness = Some("2".into());
        let line = encode_full(
            &FullCard {
                faces: vec![front, back],
                layout: Some("transform"),
            },
            &FullOptions::default(),
        );
        assert_eq!(
            line,
            "Ⓢdelver of secrets⒞Ⓤ⒭R⒨transform⒯creature⒫1/1⒜⒝insectile aberration⒞⒯creature⒫3/2⒜flyingⒺ"
        );
    }

    #[test]
    fn flavor_only_when_asked() {
        let mut card = face(
            "Shock",
            Some("{R}"),
            &["Instant"],
            "Shock deals 2 damage to any target.",
        );
        card.flavor = Some("Lightning\nstrikes.".into());
        let plain = one(card.clone());
        assert!(!plain.contains('⒡'));
        let with = encode_full(
            &FullCard {
                faces: vec![card],
                layout: None,
            },
            &FullOptions { flavor: true },
        );
        assert!(
            with.ends_with("⒜Ⓝ deals 2 damage to any target.⒡lightning strikes.Ⓔ"),
            "{with}"
        );
    }

    #[test]
    fn records_that_are_not_cards_are_refused() {
        let mut token = face("Soldier", None, &["Creature"], "");
        token.layout = Some("token".into());
        assert_eq!(check_record(&token), Err(DropReason::NotACard));
        let mut plane = face("Tazeem", None, &["Plane"], "");
        plane.layout = Some("normal".into());
        assert_eq!(check_record(&plane), Err(DropReason::NotACard));
        let mut un = face("Chicken", Some("{R}"), &["Creature"], "");
        un.set_code = Some("UST".into());
        assert_eq!(check_record(&un), Err(DropReason::UnSet));
        let mut funny = face("Chicken", Some("{R}"), &["Creature"], "");
        funny.funny = true;
        assert_eq!(check_record(&funny), Err(DropReason::UnSet));
        let mut dfc = face("Delver", Some("{U}"), &["Creature"], "");
        dfc.layout = Some("double-faced".into());
        assert_eq!(check_record(&dfc), Ok(LayoutKind::MultiPart("transform")));
        dfc.layout = Some("weird_new".into());
        assert_eq!(check_record(&dfc), Err(DropReason::UnknownLayout));
    }
}
