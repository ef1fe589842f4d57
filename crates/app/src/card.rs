//! A generated card and its verdicts: well-formed, forced fields reached,
//! new or a copy of a training card.

use cardlm_cards::decode::{decode_with, Card, Rules};
use cardlm_cards::field_forcing::ForcingPlan;
use cardlm_cards::judge::realness::Realness;
use cardlm_cards::judge::{
    design_flaws, flaws, judge, CandidateScore, ColourFitRank, ColourPie, DesignFlaw, Lexicon,
    Phrasebook, Phrasing, RateTable, StrictVerdict,
};
use cardlm_cards::novelty::{Novelty, NoveltyIndex, NEAR_COPY};
use serde::Serialize;

/// A sampled card and its judgement (what `generate --format json` prints).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JudgedCard {
    /// The card's number in its request, from 0.
    pub index: usize,
    /// Draws it took (more than 1 with `only_valid` or `novel_only`).
    pub tries: usize,
    /// The encoded line as generated.
    pub line: String,
    /// Reached its end symbol (not cut at the length limit).
    pub ended: bool,
    /// Forced fields the card never reached.
    pub missed_fields: Vec<&'static str>,
    #[serde(flatten)]
    pub card: Card,
    /// `None`: the training cards were not at hand.
    pub novelty: Option<Novelty>,
    /// The strict judge's verdict (would a player accept it?); `None`: the
    /// training cards' lexicon was not at hand.
    pub strict: Option<StrictVerdict>,
    /// The model's mean log-probability (natural log, at temperature 1) per
    /// character it chose: how fluent it finds its own card.
    pub mean_log_prob: f64,
    /// The model's log-probability (summed) of the characters it chose
    /// outside the card's names, which the curator weighs
    /// ([`CandidateScore::log_prob`]); minus infinity for a card the model
    /// did not write here.
    #[serde(skip)]
    pub log_prob_beyond_names: f64,
    /// The log-odds that it is a real card rather than one of the model's
    /// candidates (see [`cardlm_cards::judge::realness`]); `None`: the model
    /// has no realness file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realness: Option<f64>,
    /// Candidates this card was picked from (1 unless curated).
    pub candidates: usize,
    /// The rarity the model drew, when the curator printed the card at
    /// another: a vanilla creature drawn at uncommon, rare or mythic is
    /// printed common ([`crate::service::VANILLA_RARITY`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drawn_rarity: Option<String>,
    /// What a player would find odd although every word is real (see
    /// [`cardlm_cards::judge::flaws`]), then what a designer would reject
    /// ([`cardlm_cards::judge::design`]: an off-colour activation, a body far
    /// from real creatures' rates); empty for a card that is not well-formed.
    pub flaws: Vec<String>,
    /// How many of `flaws` (the last ones) are the design judge's.
    pub design_flaws: usize,
    /// How much of its rules text is phrasing real cards use, and the
    /// phrases none does (see [`cardlm_cards::judge::phrasing`]); `None`: the
    /// training cards were not at hand.
    pub phrasing: Option<Phrasing>,
    /// How far its rules text reads as another colour's than its own (see
    /// [`cardlm_cards::judge::colour_fit`]): 0 when one of its colours is the
    /// one the text reads as, negative per word pair otherwise; `None` when
    /// not judged (a colourless card, a text without word pairs real
    /// mono-coloured cards say, no training cards at hand).
    pub colour_fit: Option<f64>,
}

impl JudgedCard {
    /// Judges a generated `line` (card `index`, draw `tries`) that was forced
    /// by `plan`: decoded, the forcing replayed to learn which fields were
    /// missed, and compared with the training cards when `novelty` is given.
    pub fn judge(
        index: usize,
        tries: usize,
        line: String,
        ended: bool,
        plan: &ForcingPlan,
        novelty: Option<&NoveltyIndex>,
        rules: Rules,
    ) -> JudgedCard {
        // The forcing state is consumed by generation: replay it on the line.
        let mut replay = plan.start();
        for c in line.chars() {
            replay.after(c);
        }
        let card = decode_with(&line, rules);
        let (mut found, design) = if card.well_formed {
            (flaws(&card), design_flaws(&card))
        } else {
            (Vec::new(), Vec::new())
        };
        found.extend(design.iter().map(|f| f.reason.clone()));
        JudgedCard {
            index,
            tries,
            flaws: found,
            design_flaws: design.len(),
            card,
            novelty: novelty.map(|ix| ix.judge(&line)),
            missed_fields: replay.missed(),
            line,
            ended,
            strict: None,
            mean_log_prob: 0.0,
            log_prob_beyond_names: f64::NEG_INFINITY,
            realness: None,
            candidates: 1,
            drawn_rarity: None,
            phrasing: None,
            colour_fit: None,
        }
    }

    /// The card with its phrasing scored against `phrasebook` (when given).
    pub fn with_phrasing(mut self, phrasebook: Option<&Phrasebook>) -> Self {
        self.phrasing = phrasebook.map(|book| book.judge_line(&self.line));
        self
    }

    /// The card with its body judged against `rates`, the real creatures'
    /// (when given), and its rules text against the real cards' rarities:
    /// its rate flaws join the design flaws.
    pub fn with_rates(mut self, rates: Option<&RateTable>) -> Self {
        if let Some(table) = rates.filter(|_| self.card.well_formed) {
            let mut found: Vec<DesignFlaw> = table.judge(&self.card);
            found.extend(table.rarity.judge_line(&self.line));
            self.design_flaws += found.len();
            self.flaws.extend(found.into_iter().map(|f| f.reason));
        }
        self
    }

    /// The card with its phrases judged against `pie`, the colours real
    /// cards say them in (when given): a phrase off its colours joins the
    /// design flaws.
    pub fn with_colour_pie(mut self, pie: Option<&ColourPie>) -> Self {
        let Some(pie) = pie.filter(|_| self.card.well_formed) else {
            return self;
        };
        let (found, fit) = pie.judge_with_fit(&self.line);
        if let Some(found) = found {
            self.design_flaws += 1;
            self.flaws.push(found.reason);
        }
        self.colour_fit = fit.map(|f| f.gap);
        self
    }

    /// The card with how real it reads to `realness` (when given).
    pub fn with_realness(mut self, realness: Option<&Realness>) -> Self {
        self.realness = realness.map(|r| r.score(&self.line));
        self
    }

    /// The card with its strict verdict against `lexicon` (when given).
    pub fn with_strict(mut self, lexicon: Option<&Lexicon>) -> Self {
        self.strict = lexicon.map(|lex| judge(&self.card, lex));
        self
    }

    /// Passes the strict judge (false when not judged).
    pub fn is_strict(&self) -> bool {
        self.is_valid() && self.strict.as_ref().is_some_and(|v| v.well_formed)
    }

    /// What the curator weighs (see [`cardlm_cards::judge::curate`]).
    pub fn score(&self) -> CandidateScore {
        CandidateScore {
            valid: self.is_valid(),
            strict: self.is_strict(),
            novel: self.is_novel(),
            flaws: self.flaws.len(),
            phrasing: self.phrasing.as_ref().map_or(1.0, |p| p.score),
            problems: self
                .strict
                .as_ref()
                .map_or(self.card.problems.len(), |v| v.problems.len())
                + self.missed_fields.len(),
            // Ranking colourless cards with those reading as their own
            // colour made 20.8% of curated cards colourless, and with those
            // reading as another, 8.3% (14.4% of real cards).
            colour_fit: if self.card.colors.is_empty() {
                ColourFitRank::Colourless
            } else if self.colour_fit.is_none_or(|gap| gap >= 0.0) {
                ColourFitRank::OwnColour
            } else {
                ColourFitRank::AnotherColour
            },
            land: self.card.types.iter().any(|t| t == "Land"),
            log_prob: self.log_prob_beyond_names,
            realness: self.realness.unwrap_or(0.0),
            text_chars: self.text_chars(),
        }
    }

    /// Characters of its rules text, every face's abilities joined by one
    /// space (the front face's alone when the card has no face list).
    pub fn text_chars(&self) -> usize {
        let abilities: Vec<&String> = if self.card.faces.is_empty() {
            self.card.abil.iter().collect()
        } else {
            self.card.faces.iter().flat_map(|f| &f.abil).collect()
        };
        let nonempty = abilities.iter().filter(|a| !a.is_empty());
        let (count, chars): (usize, usize) =
            nonempty.fold((0, 0), |(n, c), a| (n + 1, c + a.chars().count()));
        chars + count.saturating_sub(1)
    }

    /// Well-formed and every forced field reached.
    pub fn is_valid(&self) -> bool {
        self.card.well_formed && self.missed_fields.is_empty()
    }

    /// Not a copy of a training card (or not judged).
    pub fn is_novel(&self) -> bool {
        self.novelty.as_ref().is_none_or(|n| n.novel)
    }

    /// The verdicts in words, one a line (printed under a card).
    pub fn verdict_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.card.well_formed {
            lines.push(format!(
                "not well-formed: {}",
                self.card.problems.join("; ")
            ));
        }
        if let Some(v) = self.strict.as_ref().filter(|_| self.card.well_formed) {
            if !v.well_formed {
                lines.push(format!(
                    "well-formed, but not as a real card is: {}",
                    v.problems.join("; ")
                ));
            }
        }
        if !self.flaws.is_empty() {
            lines.push(format!("reads oddly: {}", self.flaws.join("; ")));
        }
        if let Some(said) = self.phrasing.as_ref().and_then(Phrasing::describe) {
            lines.push(said);
        }
        if !self.missed_fields.is_empty() {
            lines.push(format!(
                "forced fields not reached: {}",
                self.missed_fields.join(", ")
            ));
        }
        if let Some(n) = &self.novelty {
            lines.extend(novelty_lines(n));
        }
        if let Some(drawn) = &self.drawn_rarity {
            lines.push(format!(
                "printed {}: drawn {drawn}, but real vanilla creatures are nearly all common",
                self.card.rare
            ));
        }
        if self.candidates > 1 {
            lines.push(format!("the best of {} candidates", self.candidates));
        } else if self.tries > 1 {
            lines.push(format!("drawn {} times", self.tries));
        }
        lines
    }
}

/// A novelty verdict in words.
pub fn novelty_lines(n: &Novelty) -> Vec<String> {
    let mut out = Vec::new();
    if n.exact_copy {
        out.push("copy: the same line as a training card".to_owned());
    }
    if let Some(name) = &n.name_copy {
        out.push(format!("copy: the name of the training card {name}"));
    }
    if let Some(near) = &n.nearest {
        if n.near_copy {
            out.push(format!(
                "copy: rules text near {} (similarity {:.2})",
                near.name, near.similarity
            ));
        } else if near.similarity >= NEAR_COPY {
            // Exempt only for being short: say so, or "novel" beside a
            // similarity of 1.00 reads as a contradiction.
            out.push(format!(
                "rules text as short and common as {}'s (similarity {:.2}; texts under {} characters, \
                 such as a lone keyword, are not counted as copies)",
                near.name,
                near.similarity,
                cardlm_cards::novelty::NEAR_COPY_MIN_CHARS
            ));
        } else {
            out.push(format!(
                "nearest rules text {} (similarity {:.2})",
                near.name, near.similarity
            ));
        }
    }
    if n.novel {
        out.insert(0, "novel".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_cards::field_forcing::ForceOptions;

    const SHOCK: &str = "Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ";

    #[test]
    fn a_copy_is_judged_and_said_in_words() {
        let index = NoveltyIndex::new(&[SHOCK.to_owned()]);
        let c = JudgedCard::judge(
            3,
            2,
            SHOCK.into(),
            true,
            &ForcingPlan::default(),
            Some(&index),
            Rules::Full,
        );
        assert!(c.card.well_formed && c.is_valid() && !c.is_novel());
        let lines = c.verdict_lines();
        assert!(
            lines.iter().any(|l| l.contains("copy: the same line")),
            "{lines:?}"
        );
        assert_eq!(lines.last().unwrap(), "drawn 2 times");
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["index"], 3);
        assert_eq!(json["name"], "Shock");
        assert!(json["novelty"]["exact_copy"].as_bool().unwrap());
    }

    /// Two strict, novel candidates: one in real cards' phrasing, one in
    /// invented phrasing that the model finds more likely.
    #[test]
    fn curation_prefers_known_phrasing() {
        let training: Vec<String> = [
            SHOCK,
            "Ⓢdivination⒞②Ⓤ⒭C⒯sorcery⒜draw two cards.Ⓔ",
            "Ⓢmind rot⒞②Ⓑ⒭C⒯sorcery⒜target player discards two cards.Ⓔ",
        ]
        .map(String::from)
        .to_vec();
        let index = NoveltyIndex::new(&training);
        let lexicon = Lexicon::from_lines(&training);
        let book = Phrasebook::from_lines(&training);
        let candidate = |line: &str, log_prob: f64| {
            let mut c = JudgedCard::judge(
                0,
                1,
                line.into(),
                true,
                &ForcingPlan::default(),
                Some(&index),
                Rules::Full,
            )
            .with_strict(Some(&lexicon))
            .with_phrasing(Some(&book));
            c.log_prob_beyond_names = log_prob;
            c
        };
        let invented = candidate(
            "Ⓢshock rot⒞②Ⓡ⒭C⒯sorcery⒜target player discards two cards damage to any target.Ⓔ",
            -0.2,
        );
        let known = candidate(
            "Ⓢshock rot⒞②Ⓡ⒭C⒯sorcery⒜Ⓝ deals 2 damage to any target. draw two cards.Ⓔ",
            -0.9,
        );
        for c in [&invented, &known] {
            assert!(c.is_strict() && c.is_novel(), "{c:?}");
        }
        let phrasing = known.phrasing.as_ref().unwrap();
        assert!(phrasing.known_phrasing, "{phrasing:?}");
        assert!(invented.phrasing.as_ref().unwrap().unknown > 0);
        let scores = [invented.score(), known.score()];
        assert_eq!(cardlm_cards::judge::best(&scores), Some(1));
        // Without a phrasebook the likelier card wins.
        let unscored = [
            JudgedCard {
                phrasing: None,
                ..invented.clone()
            }
            .score(),
            JudgedCard {
                phrasing: None,
                ..known.clone()
            }
            .score(),
        ];
        assert_eq!(cardlm_cards::judge::best(&unscored), Some(0));
        // The verdict in words and in JSON.
        let lines = invented.verdict_lines();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("phrasing no real card uses")
                    && l.contains("cards damage to any")),
            "{lines:?}"
        );
        assert!(!known.verdict_lines().iter().any(|l| l.contains("phrasing")));
        let json = serde_json::to_value(&invented).unwrap();
        assert_eq!(json["phrasing"]["known_phrasing"], false);
        assert!(json["phrasing"]["unknown"].as_u64().unwrap() > 0);
        assert!(json["phrasing"]["unknown_phrases"][0].is_string());
        let json = serde_json::to_value(&known).unwrap();
        assert_eq!(json["phrasing"]["score"], 1.0);
    }

    /// The design judge's flaws join the card's flaws (in the JSON and under
    /// the card), the rates' only with a rate table, and curation avoids them.
    #[test]
    fn design_flaws_are_flaws_and_curation_avoids_them() {
        let judged = |line: &str| {
            JudgedCard::judge(
                0,
                1,
                line.into(),
                true,
                &ForcingPlan::default(),
                None,
                Rules::Full,
            )
        };
        let off = judged("Ⓢphyrexian chapper⒞⑤ⒼⓌ⒭U⒯creature:human knight⒫3/4⒜①Ⓑ: regenerate Ⓝ.Ⓔ");
        assert_eq!(off.design_flaws, 1);
        assert_eq!(
            off.flaws,
            ["an activation costing black on a white-green card"]
        );
        let lines = off.verdict_lines();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("reads oddly: an activation costing black")),
            "{lines:?}"
        );
        let json = serde_json::to_value(&off).unwrap();
        assert_eq!(json["design_flaws"], 1);
        assert!(json["flaws"][0].as_str().unwrap().contains("costing black"));

        // Real-like 4-mana creatures: a vanilla 6/6 for 4 is off their rate.
        let training: Vec<String> = (0..12)
            .map(|i| format!("Ⓢbeast {i}⒞③Ⓖ⒭C⒯creature:beast⒫{}/3⒜Ⓔ", 2 + i % 3))
            .collect();
        let table = RateTable::from_lines(&training);
        let big = "Ⓢhuge beast⒞③Ⓖ⒭C⒯creature:beast⒫6/6⒜Ⓔ";
        assert!(judged(big).flaws.is_empty(), "no rates: not judged");
        let rated = judged(big).with_rates(Some(&table));
        assert_eq!(rated.design_flaws, 1);
        assert_eq!(
            rated.flaws,
            ["a vanilla 6/6 for 4 is bigger than every real vanilla creature of mana value 4"]
        );
        let fair = judged("Ⓢfair beast⒞③Ⓖ⒭C⒯creature:beast⒫3/3⒜Ⓔ").with_rates(Some(&table));
        assert!(fair.flaws.is_empty(), "{:?}", fair.flaws);
        // The likelier candidate has the design flaw: the other is kept.
        let (mut flawed, mut clean) = (rated, fair);
        flawed.log_prob_beyond_names = -0.1;
        clean.log_prob_beyond_names = -0.9;
        assert_eq!(
            cardlm_cards::judge::best(&[flawed.score(), clean.score()]),
            Some(1)
        );

        // Discard is black's on real cards: on a green card it is off its pie.
        let training: Vec<String> = (0..40)
            .map(|i| format!("Ⓢcrime {i}⒞Ⓑ⒭C⒯sorcery⒜target player discards a card.Ⓔ"))
            .collect();
        let pie = ColourPie::from_lines(&training);
        let green = "Ⓢvesedon works⒞Ⓖ⒭C⒯sorcery⒜target player discards a card.Ⓔ";
        assert!(judged(green).flaws.is_empty(), "no pie: not judged");
        let off = judged(green).with_colour_pie(Some(&pie));
        assert_eq!(off.design_flaws, 1);
        assert!(
            off.flaws[0].contains("is a black effect"),
            "{:?}",
            off.flaws
        );
        let black = "Ⓢnew crime⒞①Ⓑ⒭C⒯sorcery⒜target player discards a card.Ⓔ";
        assert!(judged(black).with_colour_pie(Some(&pie)).flaws.is_empty());
    }

    #[test]
    fn a_forced_field_never_reached_is_missed() {
        let plan = ForcingPlan::new(&ForceOptions {
            ability: Some("flying".into()),
            ..ForceOptions::default()
        })
        .unwrap();
        let c = JudgedCard::judge(
            0,
            1,
            "Ⓢbolt⒞Ⓡ⒭C⒯instantⒺ".into(),
            true,
            &plan,
            None,
            Rules::Full,
        );
        assert!(!c.missed_fields.is_empty() && !c.is_valid());
        assert!(c.is_novel(), "not judged counts as novel");
        let lines = c.verdict_lines();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("forced fields not reached")),
            "{lines:?}"
        );
    }
}
