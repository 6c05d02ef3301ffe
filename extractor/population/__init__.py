"""Populations: which arm, cohort, subgroup or response-defined group a value belongs to (`PopulationResolver`)."""

from evidence_tables.extractor.population.resolver import Population, PopulationResolver

__all__ = ["Population", "PopulationResolver"]
