//! The sequencing and combination rules that come from the ICD-10-CM
//! Official Guidelines for Coding and Reporting (FY2026) rather than from a
//! tabular note, as data: each rule names the guideline section it comes
//! from, and that section is printed as the edit's source.
//!
//! Ranges are code keys (upper case, no dot) read like a note's citation:
//! `("Z00", "Z00")` covers the category and all its codes.

/// A range of codes with exceptions.
#[derive(Debug, Clone, Copy)]
pub struct CodeRange {
    /// First key.
    pub lo: &'static str,
    /// Last key, as a prefix.
    pub hi: &'static str,
    /// Keys (prefixes) inside the range the rule does not apply to.
    pub except: &'static [&'static str],
}

impl CodeRange {
    /// Whether the code key is covered.
    pub fn covers(&self, key: &str) -> bool {
        let cut = &key[..key.len().min(self.hi.len())];
        key >= self.lo && cut <= self.hi && !self.except.iter().any(|e| key.starts_with(e))
    }

    /// The range as a coder writes it.
    pub fn label(&self) -> String {
        let lo = super::target::dotted(self.lo);
        if self.lo == self.hi {
            lo
        } else {
            format!("{lo}-{}", super::target::dotted(self.hi))
        }
    }
}

const fn one(key: &'static str) -> CodeRange {
    CodeRange {
        lo: key,
        hi: key,
        except: &[],
    }
}

/// Z codes that may only be reported as the principal / first-listed
/// diagnosis (Guidelines I.C.21.c.16, "Z Codes That May Only be
/// Principal/First-Listed Diagnosis").
pub const FIRST_LISTED_ONLY: &[CodeRange] = &[
    CodeRange {
        lo: "Z00",
        hi: "Z00",
        except: &["Z006"],
    },
    one("Z01"),
    one("Z02"),
    one("Z04"),
    one("Z3181"),
    one("Z3183"),
    one("Z3184"),
    one("Z332"),
    one("Z34"),
    one("Z38"),
    one("Z39"),
    one("Z40"),
    one("Z42"),
    one("Z510"),
    one("Z511"),
    CodeRange {
        lo: "Z52",
        hi: "Z52",
        except: &["Z529"],
    },
    one("Z761"),
    one("Z762"),
    one("Z9912"),
];

/// Where [`FIRST_LISTED_ONLY`] comes from.
pub const FIRST_LISTED_ONLY_SOURCE: &str =
    "Official Guidelines I.C.21.c.16 (Z codes that may only be principal/first-listed)";

/// Codes the guidelines allow only as additional (secondary) codes, with
/// the section that says so. Tabular notes that say the same ("provided
/// for use as additional codes", B95-B97 and Z16) are read from the notes.
pub const ADDITIONAL_ONLY: &[(CodeRange, &str)] = &[
    (
        one("Z331"),
        "Official Guidelines I.C.21.c.3 (Z33.1, pregnant state, incidental, is a secondary code only)",
    ),
    (
        one("Z68"),
        "Official Guidelines I.C.21.c.3 and I.B.14 (BMI codes are reported only as secondary diagnoses)",
    ),
];

/// External cause codes: never first-listed.
pub const EXTERNAL_CAUSE: CodeRange = CodeRange {
    lo: "V00",
    hi: "Y99",
    except: &[],
};

/// Where the external-cause rule comes from.
pub const EXTERNAL_CAUSE_SOURCE: &str = "Official Guidelines I.C.20 and the Chapter 20 note (external cause codes are secondary, never first-listed)";

/// Where the manifestation rule comes from.
pub const MANIFESTATION_SOURCE: &str = "Official Guidelines I.A.13 (etiology/manifestation: a code titled 'in diseases classified elsewhere' is never first-listed)";

/// Where the sequela rule comes from.
pub const SEQUELA_SOURCE: &str = "Official Guidelines I.B.10 and I.C.19.a (the residual condition is sequenced first, then the sequela code)";

/// Where the duplicate rule comes from.
pub const DUPLICATE_SOURCE: &str =
    "Official Guidelines I.B.12 (each unique code is reported only once per encounter)";

/// Where the specificity note comes from.
pub const SPECIFICITY_SOURCE: &str =
    "Official Guidelines I.B.13 (laterality) and I.A.9 (unspecified codes)";

/// Which codes may carry a combination for a member of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Any code of the family (hypertension: I10 → I12.9).
    Family,
    /// Only codes of the member's own category (type 2 diabetes stays E11).
    Category,
}

/// Conditions the classification combines with others: a member coded
/// beside a condition that a combination code of the family covers (the
/// combination code's "use additional code" note cites it) should be the
/// combination code instead.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// The members and the combination codes.
    pub range: CodeRange,
    /// Where combination codes are looked for.
    pub scope: Scope,
    /// What the family is, for the message.
    pub what: &'static str,
    /// The guideline that presumes the link.
    pub source: &'static str,
}

/// The combination families.
pub const FAMILIES: &[Family] = &[
    Family {
        range: CodeRange {
            lo: "I10",
            hi: "I13",
            except: &[],
        },
        scope: Scope::Family,
        what: "hypertension",
        source: "Official Guidelines I.C.9.a.1-3 (hypertension with heart disease or CKD: the link is presumed)",
    },
    Family {
        range: CodeRange {
            lo: "E08",
            hi: "E13",
            except: &[],
        },
        scope: Scope::Category,
        what: "diabetes",
        source: "Official Guidelines I.A.15 and I.C.4.a ('with' presumes the link; use as many E08-E13 codes as needed)",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_exceptions() {
        assert!(FIRST_LISTED_ONLY[0].covers("Z0000"));
        assert!(!FIRST_LISTED_ONLY[0].covers("Z006"));
        assert!(EXTERNAL_CAUSE.covers("W19XXXA") && EXTERNAL_CAUSE.covers("Y929"));
        assert!(!EXTERNAL_CAUSE.covers("Z000") && !EXTERNAL_CAUSE.covers("S72001A"));
        assert_eq!(FAMILIES[1].range.label(), "E08-E13");
    }
}
