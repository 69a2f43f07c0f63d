//! Codes as FHIR R4 `CodeableConcept`s
//! (<https://hl7.org/fhir/R4/datatypes.html#CodeableConcept>): one `coding`
//! with the code system's canonical URI, the release as `version`, the code
//! as printed (ICD-10-CM with its dot) and the official title as `display`.

use serde::Serialize;

/// A FHIR R4 `CodeableConcept` holding one `Coding`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CodeableConcept {
    /// The code, in one code system.
    pub coding: Vec<Coding>,
}

/// A FHIR R4 `Coding`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Coding {
    /// The code system's URI.
    pub system: String,
    /// The release (`2026`).
    pub version: String,
    /// The code (`E11.40`).
    pub code: String,
    /// The official title.
    pub display: String,
}

/// The URI FHIR uses for a code system of ours: the HL7 and CMS canonical
/// URIs for the bundled and importable systems, `urn:medcoder:SYSTEM` for a
/// site's own.
pub fn system_uri(system: &str) -> String {
    match system {
        "icd10cm" => "http://hl7.org/fhir/sid/icd-10-cm".into(),
        "icd10pcs" => "http://www.cms.gov/Medicare/Coding/ICD10".into(),
        "hcpcs" => "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets".into(),
        "cpt" => "http://www.ama-assn.org/go/cpt".into(),
        other => format!("urn:medcoder:{other}"),
    }
}

/// One code as a `CodeableConcept`; FHIR strings may not be empty or
/// padded, so the title is trimmed.
pub fn concept(system: &str, version: &str, code: &str, title: &str) -> CodeableConcept {
    CodeableConcept {
        coding: vec![Coding {
            system: system_uri(system),
            version: version.trim().to_string(),
            code: code.trim().to_string(),
            display: title.trim().to_string(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_systems_use_their_canonical_uri() {
        let c = concept("icd10cm", "2026", "E11.40", "Type 2 diabetes ");
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","version":"2026","code":"E11.40","display":"Type 2 diabetes"}]}"#
        );
        assert_eq!(system_uri("site"), "urn:medcoder:site");
    }
}
