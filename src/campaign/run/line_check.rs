//! The check a checkpoint line carries: `{RECORD…,"check":"HHHHHHHHHHHHHHHH"}`, the 64-bit
//! FNV-1a hash of the record's own JSON text `{RECORD…}` in hexadecimal. It finds a line changed
//! after it was written (a flipped byte, an edit by hand) wherever the change is, where the
//! re-decision of a sample finds it only in the sample. It is no secret: an editor who
//! recomputes it is left to the checks by value and the sample. Lines without it (written
//! before it existed) are still read.

/// The key of the check, as it ends a line.
const KEY: &str = ",\"check\":\"";

/// The hash of a record's JSON text.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The line of a record's JSON text (`{…}`), with its check.
pub(super) fn with_check(record: &str) -> String {
    let open = record.strip_suffix('}').expect("a record is a JSON object");
    format!("{open}{KEY}{:016x}\"}}", hash(record))
}

/// What a line's check says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Check {
    /// The line has a check and it matches.
    Matches,
    /// The line has a check and it does not match: the line was changed.
    Differs,
    /// The line has no check.
    Absent,
}

/// The record's JSON text of a line (without its newline), and what its check says.
pub(super) fn split_check(line: &str) -> (String, Check) {
    let Some((open, tail)) = line.rsplit_once(KEY) else {
        return (line.to_string(), Check::Absent);
    };
    let Some(hex) = tail.strip_suffix("\"}").filter(|h| h.len() == 16) else {
        return (line.to_string(), Check::Absent);
    };
    let record = format!("{open}}}");
    let check = match u64::from_str_radix(hex, 16) {
        Ok(written) if written == hash(&record) && hex.bytes().all(|b| !b.is_ascii_uppercase()) => {
            Check::Matches
        }
        _ => Check::Differs,
    };
    (record, check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_checks_until_any_byte_of_it_changes() {
        let record = r#"{"case":3,"verdict":"holds","tightness":0.5}"#;
        let line = with_check(record);
        assert_eq!(split_check(&line), (record.to_string(), Check::Matches));
        assert_eq!(split_check(record), (record.to_string(), Check::Absent));
        for at in 0..line.len() {
            let mut bytes = line.clone().into_bytes();
            bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
            let changed = String::from_utf8(bytes).expect("ascii");
            let (text, check) = split_check(&changed);
            // Never taken for intact; without a check found, the text is no record (invalid
            // JSON, or a key no record has), which reading refuses.
            let refused = serde_json::from_str::<serde_json::Value>(&text).map_or(true, |v| {
                v.as_object().is_none_or(|fields| {
                    fields
                        .keys()
                        .any(|k| !["case", "verdict", "tightness"].contains(&k.as_str()))
                })
            });
            assert!(
                check == Check::Differs || (check == Check::Absent && refused),
                "{changed}"
            );
        }
    }
}
