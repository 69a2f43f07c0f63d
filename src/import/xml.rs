//! A small element tree over quick-xml, enough for the official release
//! files (they are tens of megabytes: a tree in memory is fine and keeps the
//! importers readable). Not for: streaming huge documents.

use crate::error::Error;
use quick_xml::events::Event;
use std::io::BufRead;

/// One XML element: its name, attributes, text and children.
#[derive(Debug, Default, Clone)]
pub struct Element {
    /// Tag name.
    pub name: String,
    /// Attributes in document order.
    pub attrs: Vec<(String, String)>,
    /// Concatenated direct text content, trimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Direct children called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first direct child called `name`.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first direct child called `name`, or "".
    pub fn child_text(&self, name: &str) -> &str {
        self.first(name).map(|c| c.text.as_str()).unwrap_or("")
    }
}

/// Parses a whole document whose root must be `<expected>`; any other root
/// is an error asking whether the file is `what` (the release it wants,
/// with an example file name).
pub fn parse_root<R: BufRead>(
    input: R,
    source: &str,
    expected: &str,
    what: &str,
) -> Result<Element, Error> {
    let root = parse(input, source)?;
    if root.name != expected {
        return Err(Error::Import {
            file: source.into(),
            message: format!(
                "root element is <{}>, expected <{expected}> (is this {what}?)",
                root.name
            ),
        });
    }
    Ok(root)
}

/// Parses a whole document and returns its root element.
pub fn parse<R: BufRead>(input: R, source: &str) -> Result<Element, Error> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut stack: Vec<Element> = vec![Element::default()];
    let err = |pos: u64, msg: String| Error::Import {
        file: source.to_string(),
        message: format!("XML error at byte {pos}: {msg}"),
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| err(pos, e.to_string()))?;
        match ev {
            Event::Start(e) => stack.push(element(&e, pos, &err)?),
            Event::Empty(e) => {
                let el = element(&e, pos, &err)?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Event::End(_) => {
                let mut done = stack
                    .pop()
                    .ok_or_else(|| err(pos, "unbalanced end tag".into()))?;
                done.text = done.text.split_whitespace().collect::<Vec<_>>().join(" ");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Err(err(pos, "unbalanced end tag".into())),
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, t.as_ref()),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref().map_err(|e| err(pos, e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => match r.as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut root = stack.pop().ok_or_else(|| err(0, "empty document".into()))?;
    if !stack.is_empty() {
        return Err(err(
            reader.buffer_position(),
            "document ends inside an element".into(),
        ));
    }
    root.children
        .pop()
        .ok_or_else(|| err(0, "no root element".into()))
}

fn push_text(stack: &mut [Element], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(s);
    }
}

fn element(
    e: &quick_xml::events::BytesStart<'_>,
    pos: u64,
    err: &dyn Fn(u64, String) -> Error,
) -> Result<Element, Error> {
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| err(pos, x.to_string()))?;
        let k = a.key.as_ref().to_string();
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| err(pos, x.to_string()))?
            .into_owned();
        attrs.push((k, v));
    }
    Ok(Element {
        name,
        attrs,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_text_entities_and_attributes() {
        let doc = r#"<a><b x="1">one &lt; two</b><c/></a>"#;
        let root = parse(doc.as_bytes(), "t").unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.child_text("b"), "one < two");
        assert_eq!(root.first("b").unwrap().attr("x"), Some("1"));
        assert!(root.first("c").is_some());
    }

    #[test]
    fn reports_unbalanced_tags() {
        assert!(parse("<a><b></a>".as_bytes(), "t").is_err());
    }

    #[test]
    fn a_wrong_root_names_the_file_and_the_release_wanted() {
        let err = parse_root("<a/>".as_bytes(), "x.xml", "b", "the B release")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "x.xml: root element is <a>, expected <b> (is this the B release?)"
        );
    }
}
