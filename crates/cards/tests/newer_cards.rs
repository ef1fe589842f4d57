//! Newer card kinds in today's formats: hand-written MTGJSON v5 (`AllPrintings`,
//! `AtomicCards`) and Scryfall fixtures of a transform, modal double-faced,
//! adventure, battle, saga, class, planeswalker, split and flip card, a land,
//! and hybrid, two-generic hybrid and Phyrexian costs. `prepare` keeps every one
//! with every field, the three formats agree, and decode → encode gives each
//! line back.

mod common;

use cardlm_cards::decode::{decode_with, Rules};
use cardlm_cards::full::{encode_full, FullOptions};
use cardlm_cards::{prepare_corpus, Card, Encoding, PrepareOptions};
use common::fixture;

fn full_options() -> PrepareOptions {
    PrepareOptions {
        keep_reprints: true,
        valid_fraction: 0.0,
        encoding: Encoding::Full,
        ..PrepareOptions::default()
    }
}

/// The lines each fixture must give, in input order (`newer_full_lines.txt`).
fn expected_lines() -> Vec<String> {
    std::fs::read_to_string(fixture("newer_full_lines.txt"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn lines_of(name: &str, options: &PrepareOptions) -> Vec<String> {
    let (corpus, stats) = prepare_corpus(&[fixture(name)], options).unwrap();
    assert!(stats.dropped.is_empty(), "{name}: {:?}", stats.dropped);
    corpus.train
}

#[test]
fn allprintings_and_scryfall_give_the_same_full_lines() {
    let expected = expected_lines();
    assert_eq!(expected.len(), 13);
    assert_eq!(
        lines_of("newer_allprintings_v5.json", &full_options()),
        expected
    );
    assert_eq!(
        lines_of("newer_scryfall_cards.json", &full_options()),
        expected
    );
}

#[test]
fn atomic_cards_give_the_same_lines_with_the_default_rarity() {
    let options = PrepareOptions {
        default_rarity: Some("Rare".into()),
        ..full_options()
    };
    let expected: Vec<String> = expected_lines()
        .iter()
        .map(|line| {
            let (head, rest) = line.split_once('⒭').unwrap();
            format!("{head}⒭R{}", &rest[1..])
        })
        .collect();
    assert_eq!(lines_of("newer_atomiccards_v5.json", &options), expected);
}

fn card<'a>(cards: &'a [Card], name: &str) -> &'a Card {
    cards
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no card named {name}"))
}

#[test]
fn every_kind_keeps_every_field() {
    let cards: Vec<Card> = lines_of("newer_scryfall_cards.json", &full_options())
        .iter()
        .map(|l| decode_with(l, Rules::Full))
        .collect();
    for c in &cards {
        assert!(c.well_formed, "{}: {:?}", c.name, c.problems);
    }
    let faces = |name: &str| {
        let c = card(&cards, name);
        (
            c.layout.as_str(),
            c.faces.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        faces("Delver of Secrets"),
        (
            "transform",
            vec!["Delver of Secrets", "Insectile Aberration"]
        )
    );
    assert_eq!(
        faces("Agadeem's Awakening"),
        (
            "modal_dfc",
            vec!["Agadeem's Awakening", "Agadeem, the Undercrypt"]
        )
    );
    assert_eq!(
        faces("Bonecrusher Giant"),
        ("adventure", vec!["Bonecrusher Giant", "Stomp"])
    );
    assert_eq!(
        faces("Invasion of Zendikar"),
        (
            "transform",
            vec!["Invasion of Zendikar", "Awakened Skyclave"]
        )
    );
    assert_eq!(faces("Fire"), ("split", vec!["Fire", "Ice"]));
    assert_eq!(
        faces("Akki Lavarunner"),
        ("flip", vec!["Akki Lavarunner", "Tok-Tok, Volcano Born"])
    );
    for one in [
        "The Eldest Reborn",
        "Wizard Class",
        "Steam Vents",
        "Kitchen Finks",
    ] {
        assert_eq!(faces(one).0, "normal", "{one}");
    }

    // Costs: X, hybrid, two-generic hybrid, Phyrexian and hybrid Phyrexian; none for lands
    // and back faces; both halves of a split card and an adventure.
    let delver = card(&cards, "Delver of Secrets");
    assert_eq!(
        (delver.cost.as_str(), delver.faces[1].cost.as_str()),
        ("{U}", "")
    );
    assert_eq!(card(&cards, "Agadeem's Awakening").cost, "{X}{B}{B}{B}");
    assert_eq!(card(&cards, "Agadeem's Awakening").faces[1].cost, "");
    assert_eq!(card(&cards, "Kitchen Finks").cost, "{1}{G/W}{G/W}");
    assert_eq!(card(&cards, "Spectral Procession").cost, "{2/W}{2/W}{2/W}");
    assert_eq!(card(&cards, "Gitaxian Probe").cost, "{U/P}");
    assert_eq!(
        card(&cards, "Ajani, Sleeper Agent").cost,
        "{1}{G}{G/W/P}{W}"
    );
    assert_eq!(card(&cards, "Steam Vents").cost, "");
    assert_eq!(card(&cards, "Fire").faces[1].cost, "{1}{U}");
    assert_eq!(card(&cards, "Bonecrusher Giant").faces[1].cost, "{1}{R}");

    // Loyalty, defense, power/toughness of both faces.
    let ajani = card(&cards, "Ajani, Sleeper Agent");
    assert_eq!(ajani.loyalty.as_deref(), Some("4"));
    assert_eq!(ajani.abil.len(), 4, "{:?}", ajani.abil);
    let battle = card(&cards, "Invasion of Zendikar");
    assert_eq!(battle.defense.as_deref(), Some("3"));
    assert_eq!(battle.type_line, "Battle — Siege");
    assert_eq!(battle.faces[1].pt, "4/4");
    assert_eq!(
        (delver.pt.as_str(), delver.faces[1].pt.as_str()),
        ("1/1", "3/2")
    );
    let flip = card(&cards, "Akki Lavarunner");
    assert_eq!(flip.faces[1].pt, "2/2");
    assert_eq!(
        card(&cards, "Bonecrusher Giant").faces[1].type_line,
        "Instant — Adventure"
    );

    // Types and the chapter and level lines of sagas and classes.
    assert_eq!(
        card(&cards, "Steam Vents").type_line,
        "Land — Island Mountain"
    );
    let saga = card(&cards, "The Eldest Reborn");
    assert_eq!(saga.type_line, "Enchantment — Saga");
    assert!(
        saga.abil
            .iter()
            .any(|a| a.starts_with("III — Put target creature")),
        "{:?}",
        saga.abil
    );
    let class = card(&cards, "Wizard Class");
    assert!(
        class.abil.iter().any(|a| a == "{4}{U}: Level 3"),
        "{:?}",
        class.abil
    );
}

#[test]
fn decode_then_encode_gives_back_every_line() {
    for name in ["newer_allprintings_v5.json", "newer_scryfall_cards.json"] {
        for line in lines_of(name, &full_options()) {
            let card = decode_with(&line, Rules::Full);
            assert!(card.well_formed, "{line}: {:?}", card.problems);
            let again = encode_full(&card.to_full_card(), &FullOptions::default());
            assert_eq!(again, line);
        }
    }
}
