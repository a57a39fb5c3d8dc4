"""The matching engine: normalization, word rules, the key table and the Aho-Corasick matcher.

Nothing in here knows about Flask, files or HTTP. `termlight.glossary` builds an engine from loaded
terms; the service and the CLI only ever talk to the Glossary.
"""
