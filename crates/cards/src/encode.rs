//! The seed's one-line encoding of a card (`docs/card-encoding.md`, section 3),
//! reproduced byte for byte, quirks included.

use std::sync::OnceLock;

use regex::{NoExpand, Regex};

use crate::filter::{check_seed_filter, DropReason};
use crate::markers::{
    ABILITY, ABILITY_BREAK, COST, DEFENSE, END, FLAVOR, LAYOUT, LOYALTY, NAME, POWER_TOUGHNESS,
    RARITY, START, TAP, TYPE,
};
use crate::source::SourceCard;

/// The seed's symbol replacements, applied one after another in this order.
/// `{12` has no closing brace in the seed, so `{12}` becomes `⑫}`; kept on purpose so
/// that cardlm's corpus is the seed's corpus.
const MANA_REPLACEMENTS: [(&str, &str); 34] = [
    ("{W}", "Ⓦ"),
    ("{U}", "Ⓤ"),
    ("{B}", "Ⓑ"),
    ("{R}", "Ⓡ"),
    ("{G}", "Ⓖ"),
    ("{C}", "Ⓒ"),
    ("{w}", "Ⓦ"),
    ("{u}", "Ⓤ"),
    ("{b}", "Ⓑ"),
    ("{r}", "Ⓡ"),
    ("{g}", "Ⓖ"),
    ("{c}", "Ⓒ"),
    ("{x}", "Ⓧ"),
    ("{X}", "Ⓧ"),
    ("{1}", "①"),
    ("{2}", "②"),
    ("{3}", "③"),
    ("{4}", "④"),
    ("{5}", "⑤"),
    ("{6}", "⑥"),
    ("{7}", "⑦"),
    ("{8}", "⑧"),
    ("{9}", "⑨"),
    ("{10}", "⑩"),
    ("{11}", "⑪"),
    ("{12", "⑫"),
    ("{13}", "⑬"),
    ("{14}", "⑭"),
    ("{15}", "⑮"),
    ("{16}", "⑯"),
    ("{17}", "⑰"),
    ("{18}", "⑱"),
    ("{19}", "⑲"),
    ("{20}", "⑳"),
];

/// Replaces mana symbols written as `{2}{W}` by the seed's one-character symbols
/// (step 4 of the encoding). Symbols the seed had no character for (`{0}`, `{S}`,
/// `{T}` in upper case, hybrid) are left as they are, as the seed left them.
pub fn encode_mana_symbols(text: &str) -> String {
    let mut out = text.to_owned();
    if !out.contains('{') {
        return out;
    }
    for (from, to) in MANA_REPLACEMENTS {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// Encodes a mana cost such as `{2}{G}` into the seed's symbols (`②Ⓖ`): what a
/// generator feeds after `⒞` when the user forces a cost. Same as the encoder uses.
pub fn encode_mana_cost(cost: &str) -> String {
    encode_mana_symbols(cost)
}

/// The seed's reminder-text removal: `re.sub(r'\s\([\S\s]+\)', '', text, count=1)`.
/// Greedy: from the first whitespace-then-`(` to the last `)` of the whole text.
/// Python's `\s` also matches the separators U+001C..U+001F, Rust's does not.
fn reminder_text() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[\s\x1c-\x1f]\((?s:.)+\)").expect("valid regex"))
}

/// The seed's rarity letter: the first character of the rarity word, upper-cased.
pub fn rarity_letter(rarity: &str) -> String {
    rarity
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}

/// Applies the seed's filter, then its encoding.
pub fn encode_filtered(card: &SourceCard) -> Result<String, DropReason> {
    check_seed_filter(card)?;
    Ok(encode_unfiltered(card))
}

/// The seed's line for `card`, or `None` when the seed's filter drops it.
pub fn encode_card(card: &SourceCard) -> Option<String> {
    encode_filtered(card).ok()
}

/// Encodes without filtering: missing fields are written as empty, as far as the
/// format allows. Used after [`check_seed_filter`], and by tests.
pub fn encode_unfiltered(card: &SourceCard) -> String {
    let mut line = String::with_capacity(256);
    line.push(START);
    write_face(&mut line, card, Some(card), None, &FaceExtras::SEED);
    line.push(END);
    line
}

/// Which of the full encoding's additions to write for a face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FaceExtras {
    pub loyalty_and_defense: bool,
    pub flavor: bool,
}

impl FaceExtras {
    /// The seed's encoding: none of them.
    pub const SEED: FaceExtras = FaceExtras {
        loyalty_and_defense: false,
        flavor: false,
    };
}

/// The card's own name lower-cased, and its rules text after the seed's steps 1-6,
/// abilities separated by `·`.
pub(crate) fn encode_rules_text(name: &str, text: &str) -> String {
    // Steps 1-5, in the seed's order: each step sees the previous one's output.
    let mut text = text.to_lowercase().replace('\n', "|");
    text = text.replace(name, &NAME.to_string());
    text = text.replace("{t}", &TAP.to_string());
    text = encode_mana_symbols(&text);
    text = reminder_text()
        .replacen(&text, 1, NoExpand(""))
        .into_owned();
    text.replace('|', &ABILITY_BREAK.to_string())
}

/// Writes one face from its name to its last ability (and flavor): the seed's
/// fields in the seed's order, with the full encoding's additions where `extras`
/// asks for them. `rarity_of` is the card whose rarity is written (the first face
/// only); `layout` is written after the rarity for multi-part cards.
pub(crate) fn write_face(
    line: &mut String,
    face: &SourceCard,
    rarity_of: Option<&SourceCard>,
    layout: Option<&str>,
    extras: &FaceExtras,
) {
    let name = face.name.as_deref().unwrap_or_default().to_lowercase();
    let text = encode_rules_text(&name, face.text.as_deref().unwrap_or_default());
    let mana_cost = encode_mana_symbols(face.mana_cost.as_deref().unwrap_or_default());
    let types = join_lowercase(face.types.as_deref().unwrap_or_default());
    let subtypes = join_lowercase(&face.subtypes);

    line.push_str(&name);
    line.push(COST);
    line.push_str(&mana_cost);
    if let Some(card) = rarity_of {
        line.push(RARITY);
        line.push_str(&rarity_letter(card.rarity.as_deref().unwrap_or_default()));
    }
    if let Some(layout) = layout {
        line.push(LAYOUT);
        line.push_str(layout);
    }
    line.push(TYPE);
    line.push_str(&types);
    if !subtypes.is_empty() {
        line.push(':');
        line.push_str(&subtypes);
    }
    if let (Some(power), Some(toughness)) = (&face.power, &face.toughness) {
        line.push(POWER_TOUGHNESS);
        line.push_str(power);
        line.push('/');
        line.push_str(toughness);
    }
    if extras.loyalty_and_defense {
        if let Some(loyalty) = face.loyalty.as_deref().filter(|l| !l.is_empty()) {
            line.push(LOYALTY);
            line.push_str(&loyalty.to_lowercase());
        }
        if let Some(defense) = face.defense.as_deref().filter(|d| !d.is_empty()) {
            line.push(DEFENSE);
            line.push_str(&defense.to_lowercase());
        }
    }
    for ability in text.split(ABILITY_BREAK) {
        line.push(ABILITY);
        line.push_str(ability);
    }
    if extras.flavor {
        let flavor = face.flavor.as_deref().unwrap_or_default();
        let flavor = flavor.split_whitespace().collect::<Vec<_>>().join(" ");
        if !flavor.is_empty() {
            line.push(FLAVOR);
            line.push_str(&flavor.to_lowercase());
        }
    }
}

pub(crate) fn join_lowercase(words: &[String]) -> String {
    words
        .iter()
        .map(|word| word.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn angel() -> SourceCard {
        SourceCard {
            name: Some("Angel of Mercy".into()),
            layout: Some("normal".into()),
            types: Some(vec!["Creature".into()]),
            subtypes: vec!["Angel".into()],
            mana_cost: Some("{4}{W}".into()),
            rarity: Some("Uncommon".into()),
            text: Some(
                "Flying\nWhen Angel of Mercy enters the battlefield, you gain 3 life.".into(),
            ),
            power: Some("3".into()),
            toughness: Some("3".into()),
            ..SourceCard::default()
        }
    }

    #[test]
    fn encodes_the_specs_example() {
        assert_eq!(
            encode_card(&angel()).unwrap(),
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯creature:angel⒫3/3⒜flying⒜when Ⓝ enters the battlefield, you gain 3 life.Ⓔ"
        );
    }

    #[test]
    fn twelve_keeps_its_brace_like_the_seed() {
        assert_eq!(encode_mana_cost("{12}{G}"), "⑫}Ⓖ");
        assert_eq!(encode_mana_cost("{2}{G}{X}"), "②ⒼⓍ");
        assert_eq!(encode_mana_cost("{20}{0}"), "⑳{0}");
    }

    #[test]
    fn reminder_text_is_removed_greedily_across_abilities() {
        let mut card = angel();
        card.power = None;
        card.toughness = None;
        card.types = Some(vec!["Sorcery".into()]);
        card.subtypes.clear();
        card.text = Some("Kicker {2} (You may pay.)\nDraw a card. (Then more.)\nLast".into());
        assert_eq!(
            encode_card(&card).unwrap(),
            "Ⓢangel of mercy⒞④Ⓦ⒭U⒯sorcery⒜kicker ②·lastⒺ".replace('·', "⒜")
        );
    }

    #[test]
    fn empty_text_is_one_empty_ability_and_tap_is_encoded() {
        let mut card = angel();
        card.text = None;
        assert!(encode_card(&card).unwrap().ends_with("⒫3/3⒜Ⓔ"));
        card.text = Some("{T}: Add {G}.".into());
        assert!(encode_card(&card).unwrap().ends_with("⒜↷: add Ⓖ.Ⓔ"));
    }

    #[test]
    fn lower_case_rarities_give_the_same_letters() {
        assert_eq!(rarity_letter("mythic"), "M");
        assert_eq!(rarity_letter("Mythic Rare"), "M");
        assert_eq!(rarity_letter("special"), "S");
        assert_eq!(rarity_letter(""), "");
    }
}
