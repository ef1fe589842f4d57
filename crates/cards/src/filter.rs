//! The seed's choice of which cards to keep (`docs/card-encoding.md`, section 2),
//! plus the checks the seed never needed because its data always had the fields.

use std::sync::OnceLock;

use regex::Regex;

use crate::source::SourceCard;

/// Why a card was left out of the corpus. The first five are the seed's own filter,
/// tested in the seed's order so the counts say what the seed would have dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DropReason {
    /// `layout` is not `normal`, or the card has no `types`.
    NotNormalLayout,
    /// The card is in an Un-set (`UGL`, `UNH`).
    UnSet,
    /// No mana cost (lands, mostly).
    NoManaCost,
    /// A two-part mana symbol (hybrid or Phyrexian), e.g. `{W/U}`.
    TwoPartManaSymbol,
    /// Power or toughness is not a plain number (`*`, `1+*`, `-1`).
    NonNumericPowerToughness,
    /// No name (the seed would have crashed).
    MissingName,
    /// No rarity; MTGJSON's AtomicCards never has one.
    MissingRarity,
    /// Full encoding: a token, emblem, plane, scheme, vanguard or other non-card.
    NotACard,
    /// Full encoding: a planeswalker whose data has no loyalty.
    MissingLoyalty,
    /// Full encoding: a face without types.
    MissingTypes,
    /// Full encoding: a layout cardlm does not know.
    UnknownLayout,
    /// Full encoding: a part of a multi-part card whose other parts are not in the input.
    IncompleteMultiPart,
}

impl DropReason {
    /// Stable key used in `stats.json`.
    pub fn key(self) -> &'static str {
        match self {
            DropReason::NotNormalLayout => "layout_not_normal_or_no_types",
            DropReason::UnSet => "un_set",
            DropReason::NoManaCost => "no_mana_cost",
            DropReason::TwoPartManaSymbol => "hybrid_or_phyrexian_mana",
            DropReason::NonNumericPowerToughness => "non_numeric_power_toughness",
            DropReason::MissingName => "missing_name",
            DropReason::MissingRarity => "missing_rarity",
            DropReason::NotACard => "not_a_card",
            DropReason::UnknownLayout => "unknown_layout",
            DropReason::MissingTypes => "missing_types",
            DropReason::MissingLoyalty => "planeswalker_without_loyalty",
            DropReason::IncompleteMultiPart => "incomplete_multi_part",
        }
    }
}

/// Sets whose cards the seed left out.
const UN_SETS: [&str; 2] = ["UGL", "UNH"];

fn two_part_symbol() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{[0-9A-Z]/[0-9A-Z]\}").expect("valid regex"))
}

/// Python's `re.search(r'\D', s)`: any character that is not a Unicode decimal digit
/// (Rust's `\D` is the same class).
fn has_non_digit(value: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\D").expect("valid regex"))
        .is_match(value)
}

/// Applies the seed's filter; `Ok(())` means the card is kept.
pub fn check_seed_filter(card: &SourceCard) -> Result<(), DropReason> {
    if card.layout.as_deref() != Some("normal") || card.types.is_none() {
        return Err(DropReason::NotNormalLayout);
    }
    if card
        .set_code
        .as_deref()
        .is_some_and(|code| UN_SETS.contains(&code))
    {
        return Err(DropReason::UnSet);
    }
    let Some(mana_cost) = card.mana_cost.as_deref() else {
        return Err(DropReason::NoManaCost);
    };
    if two_part_symbol().is_match(mana_cost) {
        return Err(DropReason::TwoPartManaSymbol);
    }
    if let (Some(power), Some(toughness)) = (&card.power, &card.toughness) {
        if has_non_digit(power) || has_non_digit(toughness) {
            return Err(DropReason::NonNumericPowerToughness);
        }
    }
    if card.name.is_none() {
        return Err(DropReason::MissingName);
    }
    if card.rarity.as_deref().is_none_or(str::is_empty) {
        return Err(DropReason::MissingRarity);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creature() -> SourceCard {
        SourceCard {
            name: Some("Grizzly Bears".into()),
            set_code: Some("LEA".into()),
            layout: Some("normal".into()),
            types: Some(vec!["Creature".into()]),
            mana_cost: Some("{1}{G}".into()),
            rarity: Some("Common".into()),
            power: Some("2".into()),
            toughness: Some("2".into()),
            ..SourceCard::default()
        }
    }

    #[test]
    fn keeps_a_plain_creature() {
        assert_eq!(check_seed_filter(&creature()), Ok(()));
    }

    #[test]
    fn drops_each_reason_in_the_seeds_order() {
        let mut card = creature();
        card.layout = Some("split".into());
        assert_eq!(check_seed_filter(&card), Err(DropReason::NotNormalLayout));
        let mut card = creature();
        card.types = None;
        assert_eq!(check_seed_filter(&card), Err(DropReason::NotNormalLayout));
        let mut card = creature();
        card.set_code = Some("UNH".into());
        assert_eq!(check_seed_filter(&card), Err(DropReason::UnSet));
        let mut card = creature();
        card.mana_cost = None;
        assert_eq!(check_seed_filter(&card), Err(DropReason::NoManaCost));
        let mut card = creature();
        card.mana_cost = Some("{G/P}".into());
        assert_eq!(check_seed_filter(&card), Err(DropReason::TwoPartManaSymbol));
        let mut card = creature();
        card.mana_cost = Some("{2/W}".into());
        assert_eq!(check_seed_filter(&card), Err(DropReason::TwoPartManaSymbol));
        for bad in ["*", "1+*", "-1", "½"] {
            let mut card = creature();
            card.power = Some(bad.into());
            assert_eq!(
                check_seed_filter(&card),
                Err(DropReason::NonNumericPowerToughness),
                "{bad}"
            );
        }
        let mut card = creature();
        card.name = None;
        assert_eq!(check_seed_filter(&card), Err(DropReason::MissingName));
        let mut card = creature();
        card.rarity = None;
        assert_eq!(check_seed_filter(&card), Err(DropReason::MissingRarity));
    }

    #[test]
    fn power_alone_is_not_checked() {
        // The seed only looks at power and toughness when both are present.
        let mut card = creature();
        card.toughness = None;
        card.power = Some("*".into());
        assert_eq!(check_seed_filter(&card), Ok(()));
    }
}
