//! Picking the best of several candidates for one card, as an editor would
//! pick from a pile: a card that is a card before one that is not, one a
//! player would accept (the strict judge) before one that merely parses, a new
//! card before a copy, one with fewer flaws a player would notice (an undefined
//! X, a stutter, a wall of text: [`crate::judge::flaws`]) before one with more,
//! one whose rules text is more made of real cards' phrases
//! ([`crate::judge::phrasing`]: the known share, so that a long text is not
//! beaten by a short one for its length alone) before one with invented
//! phrasing, among equals one whose rules text reads as its own colour's
//! ([`crate::judge::colour_fit`]), then a nonland before a land (lands pass
//! the judges more easily than they read as real cards), and only then the one
//! that reads most like a real card, whole ([`crate::judge::realness`]), and
//! that the model itself finds most likely, its names left out (a typical
//! text over the sampler's unlucky draws; see [`CandidateScore::log_prob`]).

use std::cmp::Ordering;

use serde::Serialize;

/// A candidate with less of its rules text in known phrasing than this share
/// is not clean: the service draws another round for it. Every phrase must
/// be known. Real cards reach that less often (63% of held-out cards with
/// rules text, `tests/phrasing_real_cards.rs`), but a generated phrase no
/// real card has is mostly nonsense: of 520 curated picks rated blind in
/// sessions 10 and 11, those with an unknown phrase read 6% plausible and 66%
/// nonsense, the others 26% and 19%. Raised from 0.7 in session 12: on seeds
/// 311-330 the picks it changed, read blind, went from 9 nonsense in 18 to 3
/// (docs/quality.md, "Session 12").
pub const PHRASING_FLOOR: f64 = 1.0;

/// The weight of [`CandidateScore::log_prob`] (nats) against
/// [`CandidateScore::realness`] (log-odds) in the curator's last criterion.
/// On the 2,045 picks rated blind by session 19, `realness + k · log_prob`
/// read plausible picks apart with AUC 0.742, 0.759, 0.765, 0.766 and 0.760
/// for k = 0.1, 0.2, 0.3, 0.4 and 0.6, the log-probability alone with 0.698
/// and the shipped realness alone with 0.709 (docs/quality.md, "Session 20").
pub const LOG_PROB_WEIGHT: f64 = 0.3;

/// How a candidate's rules text reads against its colours, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ColourFitRank {
    /// Coloured, and its text reads as another colour's (a colour fit gap
    /// under 0).
    AnotherColour,
    /// Colourless: no colour to read as.
    Colourless,
    /// Coloured, and its text reads as one of its colours' (or has no word
    /// pair real cards say).
    OwnColour,
}

/// What the curator knows of one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CandidateScore {
    /// Structurally well-formed, every forced field reached.
    pub valid: bool,
    /// Passes the strict judge (`false` when it was not judged).
    pub strict: bool,
    /// Not a copy of a training card: not its line, not its name, no rules
    /// text near one (`true` when the training cards were not at hand).
    pub novel: bool,
    /// Flaws a player would notice: [`crate::judge::flaws`] and the design
    /// judge's ([`crate::judge::design`]) together, one weight each (ranking
    /// the design flaws first picked the same 100 cards of 100; ranking them
    /// after phrasing left 6 of 100 curated cards with one, docs/quality.md).
    pub flaws: usize,
    /// The share of its rules text's phrases that training cards contain
    /// ([`crate::judge::phrasing`]; 1 for no rules text, or when not judged).
    pub phrasing: f64,
    /// Structural and strict problems together.
    pub problems: usize,
    /// How its rules text reads against its colours
    /// ([`crate::judge::colour_fit`]). Among candidates equal in all the
    /// above, a coloured card whose text reads as its own colour (or has no
    /// word pair to read) first, then a colourless card, then one whose text
    /// reads as another colour: of the 520 picks rated blind in sessions 10
    /// and 11, 48%, 16% and 12% were plausible (docs/quality.md, "Session 14").
    pub colour_fit: ColourFitRank,
    /// A land: among candidates equal in all the above, a nonland first.
    /// Lands pass the judges more easily than other cards (short, formulaic
    /// text) and were 7.2% of curated picks against 4.0% of real cards, yet
    /// of the 520 rated picks 11% of lands read plausible against 34% of
    /// creatures (docs/quality.md, "Session 12" and "Session 13").
    pub land: bool,
    /// The model's log-probability (natural log, at temperature 1, summed)
    /// of the characters it chose outside the card's names: how likely it
    /// finds the card's type, cost, body and rules text. Forced characters
    /// are not counted. Of the 2,045 picks rated blind by session 19, this
    /// sum (rules text alone) read plausible picks apart from the rest with
    /// AUC 0.62-0.78 within each band of text length, where the mean per
    /// character of the whole card did with 0.51-0.64, and 0.37 across all
    /// lengths: it favoured long, fluent, implausible texts
    /// (docs/quality.md, "Session 19").
    pub log_prob: f64,
    /// The log-odds that the card is a real one rather than one of the
    /// model's candidates ([`crate::judge::realness`]); 0 when the model has
    /// no realness file. Weighed with `log_prob` as the last criterion.
    pub realness: f64,
    /// Characters of its rules text (abilities joined by one space each):
    /// the curator picks within the [`text_band`] of the first well-formed
    /// candidate ([`best_in_drawn_band`]).
    pub text_chars: usize,
}

/// Upper bounds (characters, inclusive) of the bands of rules-text length
/// the curator keeps to: none (a vanilla creature), a keyword or two, one
/// ability, two or three, more. The judges pass short texts more easily and a
/// player reads them as plausible more often, so a curator free to pick any
/// length drifts to them the more candidates it draws: at 16, 48 and 128
/// candidates a card, 50%, 62% and 82% of the picks had 20 characters of
/// rules text or fewer, against 8.3% of real cards (docs/quality.md,
/// "Session 21").
pub const TEXT_BANDS: [usize; 4] = [0, 20, 60, 120];

/// The band of a rules text of `chars` characters: 0 (none) to
/// `TEXT_BANDS.len()` (longer than the last bound).
pub fn text_band(chars: usize) -> usize {
    TEXT_BANDS
        .iter()
        .position(|&bound| chars <= bound)
        .unwrap_or(TEXT_BANDS.len())
}

/// The band the curator keeps to: that of the first well-formed candidate in
/// draw order, an unbiased draw of the lengths the model writes; `None` when
/// no candidate is well-formed.
pub fn drawn_band(candidates: &[CandidateScore]) -> Option<usize> {
    candidates
        .iter()
        .find(|c| c.valid)
        .map(|c| text_band(c.text_chars))
}

/// Whether a candidate in the drawn band is clean: the service draws another
/// round of candidates when none is.
pub fn clean_in_drawn_band(candidates: &[CandidateScore]) -> bool {
    let band = drawn_band(candidates);
    candidates
        .iter()
        .any(|c| c.is_clean() && Some(text_band(c.text_chars)) == band)
}

/// The curated pick: the best candidate ([`best`]) among those whose rules
/// text is in the drawn band ([`drawn_band`]) when one of them is strictly
/// well-formed, else the best of all. So curation improves each card without
/// changing how long the cards run: the picks' lengths follow the model's.
pub fn best_in_drawn_band(candidates: &[CandidateScore]) -> Option<usize> {
    let Some(band) = drawn_band(candidates) else {
        return best(candidates);
    };
    let in_band: Vec<usize> = (0..candidates.len())
        .filter(|&i| text_band(candidates[i].text_chars) == band)
        .collect();
    if !in_band
        .iter()
        .any(|&i| candidates[i].valid && candidates[i].strict)
    {
        return best(candidates);
    }
    let scores: Vec<CandidateScore> = in_band.iter().map(|&i| candidates[i]).collect();
    best(&scores).map(|k| in_band[k])
}

impl CandidateScore {
    /// A candidate a player finds nothing wrong with: well-formed, strict,
    /// new, without a flaw, mostly in real cards' phrasing. When none of a card's candidates is, the
    /// generation service draws as many again.
    pub fn is_clean(&self) -> bool {
        self.valid
            && self.strict
            && self.novel
            && self.flaws == 0
            && self.phrasing >= PHRASING_FLOOR
    }

    /// The last criterion: how real the card reads, and how likely the
    /// model finds it outside its names (a NaN reads as least likely).
    pub fn likeliness(&self) -> f64 {
        let log_prob = if self.log_prob.is_nan() {
            f64::NEG_INFINITY
        } else {
            self.log_prob
        };
        let realness = if self.realness.is_finite() {
            self.realness
        } else {
            0.0
        };
        realness + LOG_PROB_WEIGHT * log_prob
    }

    /// Better first: valid, strict, novel, fewer flaws, more known
    /// phrasing, fewer problems, reading as its own colour (a colourless
    /// card between), not a land, then reading more like a real card and
    /// more likely outside its names ([`Self::likeliness`]).
    pub fn compare(&self, other: &Self) -> Ordering {
        let likely = |x: f64| if x.is_nan() { f64::NEG_INFINITY } else { x };
        self.valid
            .cmp(&other.valid)
            .then(self.strict.cmp(&other.strict))
            .then(self.novel.cmp(&other.novel))
            .then(other.flaws.cmp(&self.flaws))
            .then(
                likely(self.phrasing)
                    .partial_cmp(&likely(other.phrasing))
                    .unwrap_or(Ordering::Equal),
            )
            .then(other.problems.cmp(&self.problems))
            .then(self.colour_fit.cmp(&other.colour_fit))
            .then(other.land.cmp(&self.land))
            .then(
                likely(self.likeliness())
                    .partial_cmp(&likely(other.likeliness()))
                    .unwrap_or(Ordering::Equal),
            )
    }
}

/// The index of the best candidate (the first of equals); `None` when empty.
pub fn best(candidates: &[CandidateScore]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, c) in candidates.iter().enumerate() {
        match best {
            Some(b) if c.compare(&candidates[b]) != Ordering::Greater => {}
            _ => best = Some(i),
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(valid: bool, strict: bool, novel: bool, problems: usize, lp: f64) -> CandidateScore {
        CandidateScore {
            valid,
            strict,
            novel,
            flaws: 0,
            phrasing: 1.0,
            problems,
            colour_fit: ColourFitRank::OwnColour,
            land: false,
            log_prob: lp,
            realness: 0.0,
            text_chars: 30,
        }
    }

    #[test]
    fn the_order_is_valid_strict_novel_fewer_problems_own_colour_nonland_likely() {
        let broken = score(false, false, true, 1, -0.1);
        let loose = score(true, false, true, 2, -0.2);
        let looser = score(true, false, true, 3, -0.1);
        let copy = score(true, true, false, 0, -0.1);
        let good = score(true, true, true, 0, -0.9);
        let better = score(true, true, true, 0, -0.5);
        assert_eq!(best(&[broken, loose]), Some(1));
        assert_eq!(best(&[looser, loose]), Some(1), "fewer problems");
        assert_eq!(best(&[broken, loose, copy]), Some(2));
        assert_eq!(best(&[copy, good]), Some(1));
        assert_eq!(best(&[good, better, copy]), Some(1));
        assert_eq!(best(&[better, better]), Some(0), "the first of equals");
        assert_eq!(best(&[]), None);
        let flawed = CandidateScore { flaws: 1, ..better };
        assert_eq!(
            best(&[flawed, good]),
            Some(1),
            "fewer flaws before likelihood"
        );
        assert_eq!(
            best(&[copy, flawed]),
            Some(1),
            "a new card before fewer flaws"
        );
        let invented = CandidateScore {
            phrasing: 0.5,
            ..better
        };
        let known = CandidateScore {
            phrasing: 0.9,
            ..good
        };
        assert_eq!(
            best(&[invented, known]),
            Some(1),
            "more known phrasing before likelihood"
        );
        assert_eq!(
            best(&[CandidateScore { flaws: 1, ..known }, invented]),
            Some(1),
            "fewer flaws before more known phrasing"
        );
        assert_eq!(
            best(&[
                CandidateScore {
                    novel: false,
                    ..known
                },
                invented
            ]),
            Some(1),
            "a new card before known phrasing"
        );
        let land = CandidateScore {
            land: true,
            ..better
        };
        assert_eq!(best(&[land, good]), Some(1), "a nonland before likelihood");
        assert_eq!(
            best(&[
                land,
                CandidateScore {
                    problems: 1,
                    ..good
                }
            ]),
            Some(0),
            "fewer problems before a nonland"
        );
        let off_colour = CandidateScore {
            colour_fit: ColourFitRank::AnotherColour,
            ..better
        };
        let colourless = CandidateScore {
            colour_fit: ColourFitRank::Colourless,
            ..better
        };
        assert_eq!(best(&[off_colour, colourless]), Some(1));
        assert_eq!(
            best(&[colourless, good]),
            Some(1),
            "its own colour, less likely"
        );
        assert_eq!(
            best(&[off_colour, land]),
            Some(1),
            "a text reading as its own colour before a nonland and likelihood"
        );
        assert_eq!(
            best(&[
                off_colour,
                CandidateScore {
                    problems: 1,
                    ..good
                }
            ]),
            Some(0),
            "fewer problems before reading as its own colour"
        );
        let nan = score(true, true, true, 0, f64::NAN);
        assert_eq!(best(&[nan, good]), Some(1));
    }

    #[test]
    fn realness_and_likelihood_are_weighed_together_last() {
        // 0.3 nats of log-probability are worth 0.09 of realness's log-odds.
        let likely = score(true, true, true, 0, -10.0);
        let real = CandidateScore {
            realness: 1.0,
            ..score(true, true, true, 0, -13.0)
        };
        assert_eq!(best(&[likely, real]), Some(1), "1.0 - 3.9 > -3.0");
        let too_unlikely = CandidateScore {
            realness: 1.0,
            ..score(true, true, true, 0, -14.0)
        };
        assert_eq!(best(&[likely, too_unlikely]), Some(0), "1.0 - 4.2 < -3.0");
        let flawed_but_real = CandidateScore {
            flaws: 1,
            realness: 9.0,
            ..likely
        };
        assert_eq!(best(&[flawed_but_real, likely]), Some(1), "judges first");
        let unscored = CandidateScore {
            realness: f64::NAN,
            ..likely
        };
        assert_eq!(unscored.likeliness(), likely.likeliness());
    }

    #[test]
    fn clean_is_strict_new_unflawed_and_mostly_known_phrasing() {
        let good = score(true, true, true, 0, -0.5);
        assert!(good.is_clean());
        for unclean in [
            score(false, true, true, 0, -0.5),
            score(true, false, true, 0, -0.5),
            score(true, true, false, 0, -0.5),
            CandidateScore { flaws: 1, ..good },
            CandidateScore {
                phrasing: 0.59,
                ..good
            },
            CandidateScore {
                phrasing: f64::NAN,
                ..good
            },
        ] {
            assert!(!unclean.is_clean(), "{unclean:?}");
        }
        assert!(CandidateScore {
            phrasing: PHRASING_FLOOR,
            ..good
        }
        .is_clean());
    }

    #[test]
    fn bands_of_text_length() {
        assert_eq!(text_band(0), 0);
        assert_eq!(text_band(1), 1);
        assert_eq!(text_band(20), 1);
        assert_eq!(text_band(21), 2);
        assert_eq!(text_band(60), 2);
        assert_eq!(text_band(61), 3);
        assert_eq!(text_band(120), 3);
        assert_eq!(text_band(121), 4);
        assert_eq!(text_band(5000), 4);
    }

    #[test]
    fn the_pick_keeps_to_the_first_well_formed_candidate_s_band() {
        let with_text = |chars, lp| CandidateScore {
            text_chars: chars,
            ..score(true, true, true, 0, lp)
        };
        let broken = CandidateScore {
            text_chars: 0,
            ..score(false, false, true, 2, -1.0)
        };
        // The first well-formed candidate has 45 characters (band 2): the
        // likelier vanilla and the long text are passed over.
        let pile = [
            broken,
            with_text(45, -30.0),
            with_text(0, -5.0),
            with_text(200, -20.0),
            with_text(58, -25.0),
        ];
        assert_eq!(drawn_band(&pile), Some(2));
        assert_eq!(best(&pile), Some(2), "unbanded, the vanilla wins");
        assert_eq!(best_in_drawn_band(&pile), Some(4));
        assert!(clean_in_drawn_band(&pile));
        // No clean candidate in the band: not clean, though another band has one.
        let flawed = CandidateScore {
            flaws: 1,
            ..with_text(45, -30.0)
        };
        let pile = [flawed, with_text(0, -5.0)];
        assert!(!clean_in_drawn_band(&pile));
        assert_eq!(
            best_in_drawn_band(&pile),
            Some(0),
            "flawed, but in its band and strict"
        );
        // Nothing strict in the band: the best of all.
        let loose = CandidateScore {
            strict: false,
            ..with_text(45, -30.0)
        };
        assert_eq!(best_in_drawn_band(&[loose, with_text(0, -5.0)]), Some(1));
        // Nothing well-formed: the best of all.
        assert_eq!(drawn_band(&[broken]), None);
        assert_eq!(best_in_drawn_band(&[broken, broken]), Some(0));
        assert_eq!(best_in_drawn_band(&[]), None);
    }
}
