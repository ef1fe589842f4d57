//! What a permanent does every turn that real ones do only once, or only at
//! rare: a land that kills, burns or draws ([`land_power_flaws`]), and a
//! common or uncommon permanent that removes a creature or a permanent, or
//! strips a hand, every turn ([`removal_every_turn`]).
//!
//! **Lands.**
//! A land costs nothing to cast and stays: real lands that kill, burn or draw
//! pay for it by sacrificing themselves (Strip Mine), by a condition
//! (Arch of Orazca's city's blessing), by a discard beside the draw
//! (Desolate Lighthouse) or by five mana or more (Stensia Bloodhall). The
//! model writes the effect without the price: "{3}, {T}: ~ deals 4 damage to
//! any target." on a dual land, "{B}, {T}: Draw a card.", "At the beginning
//! of each opponent's upkeep, ~ deals 4 damage to that player.", or a mana
//! ability that also drains.
//!
//! **Removal every turn.** Real repeatable removal is rare (Royal Assassin,
//! Visara, Avatar of Woe) or narrow at common and uncommon (a creature
//! "with shadow", one "that dealt damage to you", a "-1/-1"); the model puts
//! "{2}, {T}: Exile target creature an opponent controls." on an uncommon
//! artifact and "{T}: ~ deals 3 damage to any target." on a common 1/1, or
//! a card drawn every upkeep with no condition on a one-mana common.
//!
//! None of the 18,871 training cards does what either check flags
//! (`tests/design_real_cards.rs` requires none).

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
        r"deals ([2-9]|\d\d) damage|^destroy |^exile target (creature|permanent|artifact|enchantment|land|nonland)|(^|\. )draw (a card|two cards|three cards)|^counter target|gain control|return target creature card from your graveyard|^(target player|target opponent|each opponent) (sacrifices|discards) ",
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

/// Removal a permanent repeats: an unconditional kill or exile, 3+ damage
/// or -3 toughness, or a discard.
static REMOVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(destroy target (creature|nonland permanent|permanent|land|artifact|enchantment)( an opponent controls)?\.|exile target (creature|nonland permanent|permanent)( an opponent controls)?\.|~ deals ([3-9]|\d\d) damage to (any target|target creature|target creature or player)\.|target creature gets -\d+/-([3-9]|\d\d) until end of turn\.|(each player|target player|target opponent|each opponent) discards)",
    )
    .expect("a valid pattern")
});

/// A card drawn every upkeep: real common and uncommon ones draw only on a
/// condition (Triumph of Ferocity's "if", Honden's "for each", Indulgent
/// Tormentor's "unless"), read as [`NARROWING_WORDS`].
static UPKEEP_DRAW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(you may )?draw (a card|two cards)\.").expect("a valid pattern")
});

/// Words that narrow a removal effect to what real commons repeat.
const NARROWING_WORDS: [&str; 13] = [
    " with ",
    "activate",
    "that ",
    "unless",
    "if ",
    "for each",
    "graveyard",
    "you own",
    "you control",
    "token",
    "tapped",
    "attacking",
    "blocking",
];

/// Most mana a repeatable removal may cost and be flagged: real commons
/// pay seven or eight (Valakut Invoker's {8}: 3 damage).
const MOST_REMOVAL_MANA: u32 = 4;

/// Rarities at which no real permanent repeats unconditional removal.
const COMMON_RARITIES: [&str; 2] = ["common", "uncommon"];

/// A common or uncommon permanent (not a planeswalker: loyalty is a price;
/// not a leveller) with an activation paid only in mana ({4} at most) and
/// {T} and not restricted ("activate only as a sorcery", as real repeatable
/// discards are), or an upkeep trigger, that removes unconditionally
/// ([`REMOVAL`]).
pub(super) fn removal_every_turn(view: &View, out: &mut Vec<DesignFlaw>) {
    if view.is_spell()
        || view.has_type("planeswalker")
        // A leveller's strong ability is paid for by its levels.
        || view.text.contains("level up")
        || !COMMON_RARITIES.contains(&view.card.rare.as_str())
    {
        return;
    }
    let unconditional = |effect: &str| !NARROWING_WORDS.iter().any(|w| effect.contains(w));
    for line in &view.lines {
        let effect = match activation(line) {
            Some((cost, effect))
                if price(&cost).is_some_and(|(mana, _)| mana <= MOST_REMOVAL_MANA) =>
            {
                Some(effect).filter(|e| REMOVAL.is_match(e))
            }
            Some(_) => None,
            None => [
                "at the beginning of your upkeep, ",
                "at the beginning of each upkeep, ",
            ]
            .iter()
            .find_map(|t| line.strip_prefix(t))
            .filter(|e| REMOVAL.is_match(e) || UPKEEP_DRAW.is_match(e))
            .map(str::to_owned),
        };
        if let Some(effect) = effect.filter(|e| unconditional(e)) {
            let rare = &view.card.rare;
            let article = if rare.starts_with('u') { "an" } else { "a" };
            out.push(DesignFlaw::new(
                Check::RemovalEveryTurn,
                format!(
                    "{article} {rare} that can, every turn, {}",
                    first_clause(&effect)
                ),
            ));
            return;
        }
    }
}

/// The flaws of a land far stronger than real ones.
pub(super) fn land_power_flaws(view: &View, out: &mut Vec<DesignFlaw>) {
    if !view.has_type("land") || view.can_be_creature() {
        return;
    }
    let fair = |effect: &str| FAIR_WORDS.iter().any(|w| effect.contains(w));
    for line in &view.lines {
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
                // A mana ability's strong part is after its mana.
                let said = if effect.starts_with("add ") {
                    effect.trim_end_matches('.').to_owned()
                } else {
                    first_clause(&effect)
                };
                out.push(DesignFlaw::new(
                    Check::LandAboveRate,
                    format!("a land that can, every turn, {said}"),
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

    /// The reasons `checks` gives `line`, each of `check`.
    fn reasons(line: &str, checks: fn(&View, &mut Vec<DesignFlaw>), check: Check) -> Vec<String> {
        flaws_by(line, checks)
            .into_iter()
            .map(|f| {
                assert_eq!(f.check, check);
                f.reason
            })
            .collect()
    }

    fn flagged(line: &str) -> Vec<String> {
        reasons(line, land_power_flaws, Check::LandAboveRate)
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
                "Ⓢblarewings⒞⒭R⒯land⒜↷: add Ⓤ or Ⓑ. Ⓝ deals 2 damage to that creature's controller.Ⓔ",
                "a land that can, every turn, add {u} or {b}. ~ deals 2 damage to that creature's controller",
            ),
            (
                "Ⓢfield ammirix⒞⒭R⒯land⒜↷: add Ⓤ.⒜creatures you control get +2/+1.Ⓔ",
                "a land that pumps every creature you control",
            ),
            // Session 16's default output: a land that takes a land every turn.
            (
                "Ⓢmind amara⒞⒭R⒯land⒜Ⓝ enters the battlefield tapped.⒜↷: add Ⓦ.⒜↷: target player sacrifices a land.Ⓔ",
                "a land that can, every turn, target player sacrifices a land",
            ),
        ] {
            assert_eq!(flagged(line), vec![reason.to_owned()], "{line}");
        }
    }

    fn removal(line: &str) -> Vec<String> {
        reasons(line, removal_every_turn, Check::RemovalEveryTurn)
    }

    #[test]
    fn removal_every_turn_at_common_or_uncommon() {
        for (line, reason) in [
            (
                "Ⓢwoodward crystal⒞②⒭U⒯artifact⒜②, ↷: exile target creature an opponent controls.Ⓔ",
                "an uncommon that can, every turn, exile target creature an opponent controls",
            ),
            (
                "Ⓢgrim-kergean oofer⒞②Ⓦ⒭C⒯creature:human wizard⒫1/1⒜↷: Ⓝ deals 3 damage to any target.Ⓔ",
                "a common that can, every turn, ~ deals 3 damage to any target",
            ),
            (
                "Ⓢiruni's gide⒞④Ⓑ⒭U⒯enchantment⒜at the beginning of your upkeep, destroy target creature.Ⓔ",
                "an uncommon that can, every turn, destroy target creature",
            ),
            (
                "Ⓢherald of abenage⒞Ⓦ⒭C⒯creature:beast⒫1/1⒜at the beginning of your upkeep, draw a card.⒜cycling ②Ⓔ",
                "a common that can, every turn, draw a card",
            ),
        ] {
            assert_eq!(removal(line), vec![reason.to_owned()], "{line}");
        }
        for fair in [
            // Rare, narrowed, paid with a sacrifice, dear, at sorcery speed,
            // a leveller, or a planeswalker.
            "Ⓢvisara⒞③ⒷⒷⒷ⒭R⒯creature:gorgon⒫5/5⒜flying⒜↷: destroy target creature. it can't be regenerated.Ⓔ",
            "Ⓢdauthi cutthroat⒞①Ⓑ⒭U⒯creature:dauthi minion⒫1/1⒜shadow⒜①Ⓑ, ↷: destroy target creature with shadow.Ⓔ",
            "Ⓢbomb⒞②⒭C⒯artifact⒜↷, sacrifice Ⓝ: destroy target creature.Ⓔ",
            "Ⓢpinger⒞②Ⓡ⒭C⒯creature:goblin⒫1/1⒜↷: Ⓝ deals 1 damage to any target.Ⓔ",
            "Ⓢwalker⒞④Ⓑ⒭U⒯planeswalker:liliana⒧3⒜−2: destroy target creature.Ⓔ",
            "Ⓢtriumph of ferocity⒞②Ⓖ⒭U⒯enchantment⒜at the beginning of your upkeep, draw a card if you control the creature with the greatest power or tied for the greatest power.Ⓔ",
            "Ⓢjayemdae tome⒞④⒭U⒯artifact⒜④, ↷: draw a card.Ⓔ",
            "Ⓢvalakut invoker⒞②Ⓡ⒭C⒯creature:human shaman⒫2/3⒜⑧: Ⓝ deals 3 damage to any target.Ⓔ",
            "Ⓢcat burglar⒞③Ⓑ⒭C⒯creature:kor rogue minion⒫2/2⒜②Ⓑ, ↷: target player discards a card. activate this ability only any time you could cast a sorcery.Ⓔ",
            "Ⓢbrimstone mage⒞②Ⓡ⒭U⒯creature:human shaman⒫2/2⒜level up ③Ⓡ⒜level 1-2⒜2/3⒜↷: Ⓝ deals 1 damage to any target.⒜level 3+⒜2/4⒜↷: Ⓝ deals 3 damage to any target.Ⓔ",
        ] {
            assert!(removal(fair).is_empty(), "{fair}: {:?}", removal(fair));
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
