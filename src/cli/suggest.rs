//! "Did you mean": the known name nearest to a mistyped one, by edit distance.

/// The number of single-character insertions, deletions and substitutions that turn `a` into
/// `b` (Levenshtein distance, over characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(x != *y);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// The known name nearest to `name`, when it is near enough to be a slip: at most a third of
/// the longer name's characters differ (and at least one may). Ties go to the first known.
pub fn nearest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| {
            *distance <= (name.chars().count().max(candidate.chars().count()) / 3).max(1)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// ` (did you mean "NAME"?)` for the nearest known name, or nothing.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(name, known).map_or(String::new(), |near| format!(" (did you mean {near:?}?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("theorem2-sof", "theorem2-soft"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn only_a_near_name_is_suggested() {
        let known = ["theorem2-soft", "theorem2-hard", "welch-bound"];
        assert_eq!(nearest("theorem2-sotf", known), Some("theorem2-soft"));
        assert_eq!(nearest("welch-bond", known), Some("welch-bound"));
        assert_eq!(nearest("no-such-conjecture", known), None);
    }
}
