//! A land doing every turn what real lands do only once, or not at all.
//!
//! A land costs nothing to cast and stays: real lands that kill, burn or draw
//! pay for it by sacrificing themselves (Strip Mine), by a condition
//! (Arch of Orazca's city's blessing), by a discard beside the draw
//! (Desolate Lighthouse) or by five mana or more (Stensia Bloodhall). The
//! model writes the effect without the price: "{3}, {T}: ~ deals 4 damage to
//! any target." on a dual land, "{B}, {T}: Draw a card.", "At the beginning
//! of each opponent's upkeep, ~ deals 4 damage to that player.", or a mana
//! ability that also drains. None of the 18,871 training cards does what
//! this check flags (`tests/design_real_cards.rs` requires none).

use std::sync::LazyLock;

use regex::Regex;

use super::activation_rates::price;
use super::design::{activation, Check, DesignFlaw, View};

/// Most mana a land's repeatable strong activation may cost and still be
/// flagged: real lands' cost five or more (Stensia Bloodhall's {3}{B}{R}).
const MOST_MANA: u32 = 4;

/// What a land does every turn that real lands pay far more for.
static STRONG_EFFECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"deals ([2-9]|\d\d) damage|^destroy |^exile target (creature|permanent|artifact|enchantment|land|nonland)|(^|\. )draw (a card|two cards|three cards)|^counter target|gain control|return target creature card from your graveyard",
    )
    .expect("a valid pattern")
});

/// A trigger's effect that takes from an opponent every turn.
static STRONG_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"deals ([2-9]|\d\d) damage to (that player|each opponent|target player|target opponent|any target|each player)|(each opponent|that player|target player|target opponent) loses ([2-9]|\d\d) life|(^|, |\. )draw (a card|two cards)",
    )
    .expect("a valid pattern")
});

/// Words that make a strong effect a fair one on a land: a price paid in the
/// effect, a condition, a harm to its owner, an exile undone.
const FAIR_WORDS: [&str; 8] = [
    "to you",
    "then discard",
    "you control",
    "activate this ability only",
    "activate only",
    "return it",
    "return each",
    "from a graveyard",
];

/// The flaws of a land far stronger than real ones.
pub(super) fn land_power_flaws(view: &View, out: &mut Vec<DesignFlaw>) {
    if !view.has_type("land") || view.can_be_creature() {
        return;
    }
    for line in &view.lines {
        let fair = |effect: &str| FAIR_WORDS.iter().any(|w| effect.contains(w));
        if let Some((cost, effect)) = activation(line) {
            let cheap = price(&cost).is_some_and(|(mana, _)| mana <= MOST_MANA);
            let drains_with_mana = effect.starts_with("add ")
                && STRONG_TRIGGER.is_match(&effect)
                && !effect.contains("you lose");
            if drains_with_mana {
                out.push(DesignFlaw::new(
                    Check::LandAboveRate,
                    format!(
                        "a land whose mana also says \"{}\"",
                        effect.trim_end_matches('.')
                    ),
                ));
                return;
            }
            if cheap && STRONG_EFFECT.is_match(&effect) && !fair(&effect) {
                out.push(DesignFlaw::new(
                    Check::LandAboveRate,
                    format!("a land that can, every turn, {}", first_clause(&effect)),
                ));
                return;
            }
        } else if (line.starts_with("at the beginning of") || line.starts_with("whenever"))
            && line
                .split_once(", ")
                .is_some_and(|(_, effect)| STRONG_TRIGGER.is_match(effect) && !fair(effect))
        {
            out.push(DesignFlaw::new(
                Check::LandAboveRate,
                format!("a land that, every turn, {}", first_clause(line)),
            ));
            return;
        } else if line.starts_with("creatures you control get +")
            || line.starts_with("other creatures you control get +")
        {
            out.push(DesignFlaw::new(
                Check::LandAboveRate,
                "a land that pumps every creature you control".to_owned(),
            ));
            return;
        }
    }
}

/// The effect as the reason quotes it: its first sentence, without the
/// period.
fn first_clause(effect: &str) -> String {
    let s = effect.split(". ").next().unwrap_or(effect);
    s.trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::design::tests::flaws_by;

    fn flagged(line: &str) -> Vec<String> {
        flaws_by(line, land_power_flaws)
            .into_iter()
            .map(|f| {
                assert_eq!(f.check, Check::LandAboveRate);
                f.reason
            })
            .collect()
    }

    #[test]
    fn lands_that_kill_burn_or_draw_every_turn() {
        for (line, reason) in [
            (
                "Ⓢwarning skatchers⒞⒭R⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓦ or Ⓖ.⒜③, ↷: Ⓝ deals 4 damage to any target.Ⓔ",
                "a land that can, every turn, ~ deals 4 damage to any target",
            ),
            (
                "Ⓢbalive growth⒞⒭R⒯land⒜↷: add Ⓑ or Ⓖ.⒜Ⓑ, ↷: draw a card.Ⓔ",
                "a land that can, every turn, draw a card",
            ),
            (
                "Ⓢprissed mastiff⒞⒭C⒯land⒜↷: add Ⓒ.⒜at the beginning of each opponent's upkeep, Ⓝ deals 4 damage to that player.Ⓔ",
                "a land that, every turn, at the beginning of each opponent's upkeep, ~ deals 4 damage to that player",
            ),
            (
                "Ⓢflayer gereral⒞⒭R⒯land⒜↷: add Ⓒ.⒜↷: add Ⓖ or Ⓡ. each opponent loses 2 life.Ⓔ",
                "a land whose mana also says \"add {g} or {r}. each opponent loses 2 life\"",
            ),
            (
                "Ⓢfield ammirix⒞⒭R⒯land⒜↷: add Ⓤ.⒜creatures you control get +2/+1.Ⓔ",
                "a land that pumps every creature you control",
            ),
        ] {
            assert_eq!(flagged(line), vec![reason.to_owned()], "{line}");
        }
    }

    #[test]
    fn real_lands_that_pay_for_it_are_fair() {
        for line in [
            // A sacrifice, a discard, a condition, five mana, harm to you.
            "Ⓢstrip mine⒞⒭U⒯land⒜↷: add Ⓒ.⒜↷, sacrifice Ⓝ: destroy target land.Ⓔ",
            "Ⓢdesolate lighthouse⒞⒭R⒯land⒜↷: add Ⓒ.⒜①ⓊⓇ, ↷: draw a card, then discard a card.Ⓔ",
            "Ⓢarch of orazca⒞⒭R⒯land⒜ascend⒜↷: add Ⓒ.⒜⑤, ↷: draw a card. activate this ability only if you have the city's blessing.Ⓔ",
            "Ⓢstensia bloodhall⒞⒭R⒯land⒜↷: add Ⓒ.⒜③ⒷⓇ, ↷: Ⓝ deals 2 damage to target player or planeswalker.Ⓔ",
            "Ⓢancient tomb⒞⒭U⒯land⒜↷: add ⒸⒸ. Ⓝ deals 2 damage to you.Ⓔ",
            "Ⓢkeldon megaliths⒞⒭U⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓡ.⒜hellbent — ①Ⓡ, ↷: Ⓝ deals 1 damage to any target.Ⓔ",
            // A creature land is judged as a creature.
            "Ⓢmutavault⒞⒭R⒯land⒜↷: add Ⓒ.⒜①: until end of turn Ⓝ becomes a 2/2 creature with all creature types. it's still a land.Ⓔ",
        ] {
            assert!(flagged(line).is_empty(), "{line}: {:?}", flagged(line));
        }
    }
}
