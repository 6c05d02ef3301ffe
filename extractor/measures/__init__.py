"""The measure rules: each turns a `Document` into `Outcome` records with rule ids."""
