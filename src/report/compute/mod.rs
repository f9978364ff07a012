//! The report's figures: weights of homes, zones, residential land within reach, gaps, homes
//! lost to barriers on foot.
//! Imported by `report` only; may use `engine`, `crs`, `standard`, `io` (reading layers), `run`.

pub(crate) mod counted;
pub(crate) mod gaps;
pub(crate) mod land;
pub(crate) mod lost;
pub(crate) mod places;
pub(crate) mod weights;
pub(crate) mod zones;
