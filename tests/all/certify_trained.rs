//! Tests of this module are added with the feature they check.
