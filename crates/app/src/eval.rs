//! The evaluation report of `cardlm eval`: the validation loss, and what
//! the model's samples look like next to the corpus (well-formed and copy
//! rates, distributions of colours, types, rarities and mana values).

use std::collections::BTreeMap;
use std::path::Path;

use cardlm_cards::decode::{decode_with, Card, Rules};
use cardlm_cards::Corpus;
use cardlm_lm::run::LoadedRun;
use cardlm_lm::sample::SampleOptions;
use cardlm_lm::token_corpus::TokenCorpus;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::CorpusJudges;
use crate::service::{CardRequest, GenerationService, ServiceOptions};
use crate::{CardModel, JudgedCard};

/// What to sample for the report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EvalOptions {
    /// Cards sampled at each temperature.
    pub samples: usize,
    /// The lower temperature sampled besides 1.0.
    pub low_temperature: f64,
    pub seed: u64,
    /// Also sample curated cards at temperature 1.0, the best of this many
    /// candidates each (0 or 1: not sampled).
    pub best_of: usize,
    /// Top-p of the curated cards (`generate`'s default is
    /// [`DEFAULT_TOP_P`](crate::service::DEFAULT_TOP_P)); raw cards are
    /// sampled from every character.
    pub top_p: f64,
    /// Guide type lines by the training cards' words, as `generate` does
    /// (see [`cardlm_cards::type_line_guide`]).
    pub guide_types: bool,
}

impl EvalOptions {
    /// At least one sample, a valid low temperature.
    pub fn check(&self) -> Result<()> {
        if self.samples == 0 {
            return Err(Error::BadRequest("--samples must be at least 1".into()));
        }
        SampleOptions {
            temperature: self.low_temperature,
            ..SampleOptions::default()
        }
        .validate()
        .map_err(|e| Error::BadRequest(format!("--low-temperature: {e}")))?;
        SampleOptions {
            top_p: Some(self.top_p),
            ..SampleOptions::default()
        }
        .validate()
        .map_err(|e| Error::BadRequest(format!("--top-p: {e}")))
    }
}

/// Shares of a set of cards.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Distributions {
    pub cards: usize,
    pub colors: BTreeMap<String, f64>,
    /// Card types of every face (a card counts once per type it has on any face).
    pub types: BTreeMap<String, f64>,
    /// `normal`, `transform`, `split`, ... (the decoded layout).
    pub layouts: BTreeMap<String, f64>,
    /// Kinds the seed's filter dropped: `no cost` (lands), `hybrid cost`,
    /// `phyrexian cost`, `loyalty`, `defense`, `X or * P/T`.
    pub kinds: BTreeMap<String, f64>,
    pub rarities: BTreeMap<String, f64>,
    pub mana_value: BTreeMap<String, f64>,
    pub mean_length: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SampleReport {
    pub temperature: f64,
    /// The top-p cut (none: every character).
    pub top_p: Option<f64>,
    /// Candidates each card was picked from (1: raw samples).
    pub best_of: usize,
    pub samples: usize,
    pub well_formed_rate: f64,
    /// Passing the strict judge (real type words, keywords, counters, whole
    /// sentences...; see `cardlm_cards::judge`).
    pub strict_rate: f64,
    /// Well-formed cards with a type word, subtype or type combination no
    /// training card has, as a share of the well-formed cards.
    pub invented_type_rate: f64,
    pub ended_rate: f64,
    pub exact_copy_rate: Option<f64>,
    pub name_copy_rate: Option<f64>,
    pub near_copy_rate: Option<f64>,
    /// Well-formed cards whose every rules-text phrase a training card
    /// contains (`cardlm_cards::judge::phrasing`), as a share of the
    /// well-formed cards; `None`: not judged.
    pub known_phrasing_rate: Option<f64>,
    /// The mean known share of phrases of the well-formed cards.
    pub mean_phrasing_score: Option<f64>,
    pub distributions: Distributions,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub model: String,
    pub corpus: String,
    pub valid_positions: usize,
    pub valid_loss_nats: Option<f64>,
    pub valid_bits_per_char: Option<f64>,
    pub valid_accuracy: Option<f64>,
    pub corpus_distributions: Distributions,
    pub samples: Vec<SampleReport>,
}

fn share(counts: BTreeMap<String, usize>, n: usize) -> BTreeMap<String, f64> {
    counts
        .into_iter()
        .map(|(k, v)| (k, v as f64 / n.max(1) as f64))
        .collect()
}

/// The kinds of card [`Distributions::kinds`] counts that `card` is.
fn kinds_of(card: &Card) -> Vec<&'static str> {
    let symbols = || card.faces.iter().flat_map(|f| f.mana_symbols.iter());
    let mut kinds = Vec::new();
    if card
        .faces
        .first()
        .is_some_and(|f| f.mana_symbols.is_empty())
    {
        kinds.push("no cost");
    }
    if symbols().any(|s| s.trim_end_matches("/P").contains('/')) {
        kinds.push("hybrid cost");
    }
    if symbols().any(|s| s.ends_with("/P")) {
        kinds.push("phyrexian cost");
    }
    if card.faces.iter().any(|f| f.loyalty.is_some()) {
        kinds.push("loyalty");
    }
    if card.faces.iter().any(|f| f.defense.is_some()) {
        kinds.push("defense");
    }
    let odd = |v: &Option<String>| v.as_deref().is_some_and(|v| v.contains(['*', 'X', 'x']));
    if card
        .faces
        .iter()
        .any(|f| odd(&f.power) || odd(&f.toughness))
    {
        kinds.push("X or * P/T");
    }
    kinds
}

/// Colours (a card may count in several; `colorless`), card types (of every
/// face), layouts, kinds ([`Distributions::kinds`]), rarities and mana values
/// (`7+` for 7 and more) of well-formed cards; mean length of all. A kind,
/// type or layout the cards never have is absent (the report shows it as 0%
/// beside the corpus's share).
pub fn distributions(lines: &[String], cards: &[Card]) -> Distributions {
    let mut colors = BTreeMap::new();
    let mut types = BTreeMap::new();
    let mut layouts = BTreeMap::new();
    let mut kinds = BTreeMap::new();
    let mut rarities = BTreeMap::new();
    let mut mv = BTreeMap::new();
    let good: Vec<&Card> = cards.iter().filter(|c| c.well_formed).collect();
    for c in &good {
        if c.colors.is_empty() {
            *colors.entry("colorless".to_owned()).or_default() += 1;
        }
        for col in &c.colors {
            *colors.entry(col.clone()).or_default() += 1;
        }
        let mut card_types: Vec<&String> = c.faces.iter().flat_map(|f| &f.types).collect();
        card_types.sort();
        card_types.dedup();
        for t in card_types {
            *types.entry(t.clone()).or_default() += 1;
        }
        *layouts.entry(c.layout.clone()).or_default() += 1;
        for kind in kinds_of(c) {
            *kinds.entry(kind.to_owned()).or_default() += 1;
        }
        *rarities.entry(c.rare.clone()).or_default() += 1;
        let key = if c.mana_value >= 7 {
            "7+".to_owned()
        } else {
            c.mana_value.to_string()
        };
        *mv.entry(key).or_default() += 1;
    }
    let n = good.len();
    Distributions {
        cards: n,
        colors: share(colors, n),
        types: share(types, n),
        layouts: share(layouts, n),
        kinds: share(kinds, n),
        rarities: share(rarities, n),
        mana_value: share(mv, n),
        mean_length: lines.iter().map(|l| l.chars().count()).sum::<usize>() as f64
            / lines.len().max(1) as f64,
    }
}

/// The validation loss of `run` on `valid` lines: (mean loss in nats, accuracy, positions).
pub fn validation_loss(run: &LoadedRun, valid: &[String]) -> Result<Option<(f64, f64, usize)>> {
    let encoded = valid
        .iter()
        .map(|l| {
            run.vocab.encode(l).map_err(|u| {
                Error::BadRequest(format!(
                    "the corpus has characters the model does not know: {:?}",
                    u.iter().collect::<String>()
                ))
            })
        })
        .collect::<Result<Vec<Vec<u32>>>>()?;
    if encoded.is_empty() {
        return Ok(None);
    }
    let cut = TokenCorpus::cut(&encoded, run.config.training.max_len);
    let mut stepper = cardlm_lm::train::stepper_for(&run.config, Some(run.model.params.clone()))
        .map_err(Error::load_model)?;
    let stats = cardlm_lm::train::evaluate(&mut stepper, &cut, run.config.training.batch_size);
    Ok(Some((stats.mean_loss(), stats.accuracy(), stats.positions)))
}

/// Whether the strict judge found a type word, subtype or type combination
/// that no training card has.
pub fn invents_a_type(card: &JudgedCard) -> bool {
    card.strict.as_ref().is_some_and(|v| {
        v.problems.iter().any(|p| {
            p.starts_with("type word")
                || p.starts_with("subtype")
                || p.starts_with("no real card is")
        })
    })
}

/// A report on the cards drawn at one temperature, each the best of `best_of`
/// candidates asked for (1: raw).
pub fn sample_report(
    temperature: f64,
    best_of: usize,
    drawn: &[JudgedCard],
    judged: bool,
) -> SampleReport {
    let n = drawn.len().max(1) as f64;
    let rate = |f: &dyn Fn(&JudgedCard) -> bool| drawn.iter().filter(|s| f(s)).count() as f64 / n;
    let lines: Vec<String> = drawn.iter().map(|s| s.line.clone()).collect();
    let cards: Vec<Card> = drawn.iter().map(|s| s.card.clone()).collect();
    let well_formed = drawn.iter().filter(|s| s.card.well_formed).count();
    let invented = drawn
        .iter()
        .filter(|s| s.card.well_formed && invents_a_type(s))
        .count();
    // Phrasing of the well-formed cards (a broken card's text is no phrase).
    let scored: Vec<&cardlm_cards::judge::Phrasing> = drawn
        .iter()
        .filter(|s| s.card.well_formed)
        .filter_map(|s| s.phrasing.as_ref())
        .collect();
    let phrased = drawn.iter().any(|s| s.phrasing.is_some());
    SampleReport {
        temperature,
        top_p: None,
        best_of,
        samples: drawn.len(),
        well_formed_rate: rate(&|s| s.card.well_formed),
        strict_rate: rate(&|s| s.is_strict()),
        invented_type_rate: invented as f64 / well_formed.max(1) as f64,
        ended_rate: rate(&|s| s.ended),
        exact_copy_rate: judged
            .then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.exact_copy))),
        name_copy_rate: judged
            .then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.name_copy.is_some()))),
        near_copy_rate: judged.then(|| rate(&|s| s.novelty.as_ref().is_some_and(|v| v.near_copy))),
        known_phrasing_rate: phrased.then(|| {
            scored.iter().filter(|p| p.known_phrasing).count() as f64 / well_formed.max(1) as f64
        }),
        mean_phrasing_score: phrased
            .then(|| scored.iter().map(|p| p.score).sum::<f64>() / well_formed.max(1) as f64),
        distributions: distributions(&lines, &cards),
    }
}

/// The whole report: `run` (from `model_dir`) against `corpus` (from
/// `corpus_dir`), whose training cards are the reference for copies.
pub fn evaluate(
    model_dir: &Path,
    run: LoadedRun,
    corpus_dir: &Path,
    corpus: &Corpus,
    options: EvalOptions,
) -> Result<Report> {
    options.check()?;
    let loss = validation_loss(&run, &corpus.valid)?;
    let rules = Rules::for_vocabulary(&corpus.vocab);
    // Judged and compared in the printed order, as the samples are.
    let train = corpus.printed_train();
    let corpus_cards: Vec<Card> = train.iter().map(|l| decode_with(l, rules)).collect();
    let corpus_distributions = distributions(&train, &corpus_cards);
    let service = GenerationService::start(
        CardModel::new(run, None)?.with_judges(Some(CorpusJudges::from_lines(&train))),
        ServiceOptions::default(),
    );
    let mut samples = Vec::new();
    let mut runs = vec![(1.0, 1, None), (options.low_temperature, 1, None)];
    if options.best_of > 1 {
        runs.push((1.0, options.best_of, Some(options.top_p)));
    }
    for (temperature, best_of, top_p) in runs {
        let mut request = CardRequest::new(options.samples, options.seed);
        request.sampling.temperature = temperature;
        request.sampling.top_p = top_p;
        request.candidates = best_of;
        request.guide_types = options.guide_types;
        let drawn = service.generate_all(request)?;
        // The N asked for: a curated card may say 2N when none of N was clean.
        let mut report = sample_report(temperature, best_of, &drawn, true);
        report.top_p = top_p;
        samples.push(report);
    }
    Ok(Report {
        model: model_dir.display().to_string(),
        corpus: corpus_dir.display().to_string(),
        valid_positions: loss.map_or(0, |l| l.2),
        valid_loss_nats: loss.map(|l| l.0),
        valid_bits_per_char: loss.map(|l| l.0 / std::f64::consts::LN_2),
        valid_accuracy: loss.map(|l| l.1),
        corpus_distributions,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::decode::decode;
    use cardlm_cards::novelty::NoveltyIndex;

    #[test]
    fn distributions_count_well_formed_cards_only() {
        let lines: Vec<String> = [
            "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢangel⒞④ⓌⓌ⒭R⒯creature:angel⒫4/4⒜flyingⒺ",
            "Ⓢbroken⒯Ⓔ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cards: Vec<Card> = lines.iter().map(|l| decode(l)).collect();
        let d = distributions(&lines, &cards);
        assert_eq!(d.cards, 2);
        assert_eq!(d.colors["R"], 0.5);
        assert_eq!(d.colors["W"], 0.5);
        assert_eq!(d.rarities["common"], 0.5);
        assert_eq!(d.mana_value["6"], 0.5);
        assert_eq!(d.types["Instant"], 0.5);
        let mean = lines.iter().map(|l| l.chars().count()).sum::<usize>() as f64 / 3.0;
        assert_eq!(d.mean_length, mean);
    }

    #[test]
    fn distributions_show_layouts_types_and_kinds_of_every_face() {
        let lines: Vec<String> = [
            "Ⓢdelver of secrets⒞Ⓤ⒭C⒨transform⒯creature:human wizard⒫1/1⒜transform Ⓝ.⒝insectile aberration⒞⒯creature:human insect⒫3/2⒜flyingⒺ",
            "Ⓢbonecrusher giant⒞②Ⓡ⒭R⒨adventure⒯creature:giant⒫4/3⒜trample⒝stomp⒞①Ⓡ⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ",
            "Ⓢjace beleren⒞①ⓊⓊ⒭M⒯planeswalker:jace⒧3⒜+2: each player draws a card.Ⓔ",
            "Ⓢmud pit⒞⒭R⒯land⒜↷: add Ⓒ.Ⓔ",
            "Ⓢkitchen finks⒞①{G/W}{B/P}⒭U⒯creature:ouphe⒫*/2⒜persistⒺ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let cards: Vec<Card> = lines.iter().map(|l| decode(l)).collect();
        assert!(cards.iter().all(|c| c.well_formed));
        let d = distributions(&lines, &cards);
        assert_eq!(d.cards, 5);
        assert_eq!(d.layouts["normal"], 0.6);
        assert_eq!(d.layouts["transform"], 0.2);
        assert_eq!(d.layouts["adventure"], 0.2);
        assert_eq!(d.types["Land"], 0.2);
        assert_eq!(d.types["Planeswalker"], 0.2);
        // The adventure's instant half counts; the transform card's two
        // creature faces count once.
        assert_eq!(d.types["Instant"], 0.2);
        assert_eq!(d.types["Creature"], 0.6);
        assert_eq!(d.kinds["no cost"], 0.2);
        assert_eq!(d.kinds["loyalty"], 0.2);
        assert_eq!(d.kinds["hybrid cost"], 0.2);
        assert_eq!(d.kinds["phyrexian cost"], 0.2);
        assert_eq!(d.kinds["X or * P/T"], 0.2);
        assert!(!d.kinds.contains_key("defense"));
        // Samples that never make a land show none.
        let samples = distributions(&lines[..3], &cards[..3]);
        assert!(!samples.types.contains_key("Land"));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["layouts"]["transform"], 0.2);
        assert_eq!(json["kinds"]["no cost"], 0.2);
    }

    #[test]
    fn rates_are_shares_of_the_drawn_cards() {
        let shock = "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ";
        let index = NoveltyIndex::new(&[shock.to_owned()]);
        let plan = cardlm_cards::field_forcing::ForcingPlan::default();
        let drawn = vec![
            JudgedCard::judge(0, 1, shock.into(), true, &plan, Some(&index), Rules::Full),
            JudgedCard::judge(
                1,
                1,
                "Ⓢzap⒞Ⓤ⒭C⒯instant⒜draw a card.Ⓔ".into(),
                true,
                &plan,
                Some(&index),
                Rules::Full,
            ),
            JudgedCard::judge(
                2,
                1,
                "Ⓢcut⒞".into(),
                false,
                &plan,
                Some(&index),
                Rules::Full,
            ),
            JudgedCard::judge(
                3,
                1,
                "Ⓢshock⒞Ⓤ⒭C⒯sorcery⒜scry 1.Ⓔ".into(),
                true,
                &plan,
                Some(&index),
                Rules::Full,
            ),
        ];
        let r = sample_report(0.5, 1, &drawn, true);
        assert_eq!(r.samples, 4);
        assert_eq!(r.ended_rate, 0.75);
        assert_eq!(r.exact_copy_rate, Some(0.25));
        assert_eq!(r.name_copy_rate, Some(0.5));
        assert!(r.well_formed_rate <= 0.75);
        assert_eq!(sample_report(1.0, 1, &drawn, false).exact_copy_rate, None);
        assert_eq!(r.known_phrasing_rate, None, "not judged");
        // With a phrasebook of the shock: the shock itself is known
        // phrasing, "draw a card." and "scry 1." are not.
        let book = cardlm_cards::judge::Phrasebook::from_lines(&[shock.to_owned()]);
        let phrased: Vec<JudgedCard> = drawn
            .into_iter()
            .map(|c| c.with_phrasing(Some(&book)))
            .collect();
        let r = sample_report(0.5, 1, &phrased, true);
        let well_formed = phrased.iter().filter(|c| c.card.well_formed).count() as f64;
        assert_eq!(r.known_phrasing_rate, Some(1.0 / well_formed));
        assert!(r.mean_phrasing_score.unwrap() > 0.0 && r.mean_phrasing_score.unwrap() < 1.0);
    }
}
