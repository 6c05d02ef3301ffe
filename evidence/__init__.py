"""evidence: the command-line app. The only package that imports corpus, extractor and db together."""

if (
    __name__ != "evidence_tables"
):  # the folder is installed as evidence_tables; a top-level `evidence` is some other package
    raise ImportError(
        f"this folder is the package evidence_tables; import evidence_tables, not {__name__}"
    )
