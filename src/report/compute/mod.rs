//! The report's figures: weights of homes, zones, residential land within reach, gaps, homes
//! lost to barriers on foot.
//! Imported by `report` only; may use `engine`, `crs`, `standard`, `io` (reading layers), `run`.

pub mod counted;
pub mod gaps;
pub mod land;
pub mod lost;
pub mod places;
pub mod weights;
pub mod zones;
