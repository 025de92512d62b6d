"""Review of translations: QA checks, editors' states and approvals, the on-air gate."""
