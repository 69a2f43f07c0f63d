//! Every tuning constant of matching, in one place: how much each kind of
//! reading is trusted, how slots are weighed, how names are scored and how
//! headers, sides and variants are ranked. Changing one changes ranking:
//! measure with `eval/run_eval.py` before and after.
//!
//! The two weights that the index builder also applies to title words
//! ([`MARKER_DAMPING`], [`CONTEXT_WEIGHT`]) live with
//! [`crate::index::TitleWeights`], below this layer, and are re-exported
//! here. Word lists (which words mark an encounter, a status) stay beside
//! the code that reads them.

pub use crate::index::title_weights::{CONTEXT_WEIGHT, MARKER_DAMPING};

// Quality of a reading (1 = the words as written).

/// Quality of a match through the vocabulary.
pub const EXPANSION_QUALITY: f32 = 0.95;
/// Quality of a word as written when it was typed in capitals and is a
/// known abbreviation ("CAP"): the abbreviation's sense comes first.
pub const CAPITALS_LITERAL_QUALITY: f32 = 0.9;
/// Quality of a substring spelling rule.
pub const SPELLING_QUALITY: f32 = 0.97;
/// Quality of a word split into combining form + suffix.
pub const AFFIX_QUALITY: f32 = 0.9;
/// Quality of a fuzzy correction by one edit.
pub const FUZZY1_QUALITY: f32 = 0.85;
/// Quality of a fuzzy correction by two edits.
pub const FUZZY2_QUALITY: f32 = 0.72;
/// Quality of a prefix completion.
pub const PREFIX_QUALITY: f32 = 0.7;
/// Quality of a number read as a title's range that holds it ("41" as
/// "40.0-44.9"): below the number as written, so "32 weeks" takes the
/// code that says 32 over the header that says 30-39.
pub const RANGE_QUALITY: f32 = 0.95;
/// At most this many ranges are read for one number, narrowest first.
pub const MAX_RANGE_READINGS: usize = 16;

// Corrections.

/// Shortest word that tolerates one edit.
pub const FUZZY1_MIN_LEN: usize = 4;
/// Shortest word that tolerates two edits.
pub const FUZZY2_MIN_LEN: usize = 8;
/// At most this many corrections are kept per word.
pub const MAX_FUZZY: usize = 6;

// Weight of a slot.

/// Weight of a word that matched nothing at all.
pub const UNKNOWN_WEIGHT: f32 = 4.0;
/// Weight factor of the query words before the first comma, when there is one.
pub const HEAD_CLAUSE_WEIGHT: f32 = 1.3;
/// A first clause this short, followed by others, is index wording (see
/// [`super::analyze::index_order`]).
pub const INDEX_HEAD_WORDS: usize = 2;
/// Weight factor of a word written as a possessive (an eponym).
pub const EPONYM_WEIGHT: f32 = 1.5;
/// Weight factor of a slot that names the encounter.
pub const ENCOUNTER_WEIGHT: f32 = 0.5;

// Candidates.

/// How many names survive to exact scoring.
pub const CANDIDATES: usize = 200;
/// A term found in more than this share of all names ("with", "right",
/// "initial") does not generate candidates when the query has a rarer term:
/// it cannot tell names apart, and walking its postings is most of the cost.
/// Exact scoring still counts it.
pub const COMMON_TERM_SHARE: f32 = 0.1;

// Score of a name.

/// How much unmatched words of a title cost (0 = nothing, 1 = linear).
pub const NAME_COVERAGE_EXPONENT: f32 = 0.5;
/// A reading only partly found in a name earns its found share to this
/// power: "rapid ventricular response" half-matching "Ventricular
/// fibrillation" through one modifier is weak evidence.
pub const PARTIAL_MATCH_EXPONENT: i32 = 2;
/// Credit for a query word found not in the name but in the title of a
/// parent, block or chapter ("tuberculosis" for "…of epididymis" under
/// "Tuberculosis of other organs"): context, worth less than the name.
pub const ANCESTOR_CREDIT: f32 = 0.6;
/// Factor for a code that is not billable (a header).
pub const HEADER_FACTOR: f32 = 0.90;
/// Factor for a match on an inclusion term instead of the title.
pub const SYNONYM_FACTOR: f32 = 0.98;
/// Factor for a match on a path of an index or table (External Cause
/// Index, Drug and Neoplasm tables) instead of the title.
pub const INDEX_PATH_FACTOR: f32 = 0.96;
/// Factor for a 7th character other than the default one.
pub const NONDEFAULT_SEVENTH_FACTOR: f32 = 0.97;
/// Factor for a code that sits where the tabular puts the query's words
/// when nothing more is said: an "X NOS" inclusion term of the code or of a
/// parent whose words the query all uses ("diabetes NOS" under E11 makes
/// type 2 the default for "diabetic foot ulcer").
pub const NOS_DEFAULT_FACTOR: f32 = 1.05;

// Ranking.

/// A header's default billable code inherits the header's score times this.
pub const DEFAULT_CHILD_FACTOR: f32 = 0.98;
/// How many of the best headers look among their codes for one that covers
/// more of the query than the header did.
pub const DETAILED_HEADERS: usize = 3;
/// A code under a header that covers as much of the query as the header
/// takes the header's score instead of the default code when it scores
/// this much better than the default on its own.
pub const CLEARLY_BETTER: f32 = 1.1;
/// At most this many codes of one header are looked at.
pub const MAX_DETAILED_CODES: usize = 60;
/// A code of the first code's category that covers more of the query is
/// looked for among this many next suggestions,
pub const QUALIFIER_LOOKAHEAD: usize = 10;
/// ... scoring at least this share of the first,
pub const QUALIFIER_SHARE: f32 = 0.8;
/// ... and covering at least this much more of the query's weight.
pub const QUALIFIER_GAIN: f32 = 0.01;
/// Two codes of one header whose own scores differ by less than this are
/// equally good (the parent's default then wins).
pub const SCORE_TIE: f32 = 1e-4;
/// When procedure words bring procedure manuals into a search, a procedure
/// match counts this much: diagnoses stay the default reading ("OSA on
/// CPAP" is a diagnosis with its treatment, "lap appy" has no diagnosis to
/// match at all).
pub const PROCEDURE_SIDE_FACTOR: f32 = 0.9;
/// A procedure match counts this much when the query speaks of a status or
/// history ("s/p TKA", "h/o appendectomy"): the record describes the
/// patient after the procedure, a diagnosis (status) code.
pub const STATUS_PROCEDURE_FACTOR: f32 = 0.7;
