"""Data derived from the article graphs and checks of them, over the store interface only.

* :mod:`kg.derived.entity_index` — the entity index graph (one description per entity), which
  ``kg build``, ``kg remove``, ``kg import`` and ``kg reason`` refresh;
* :mod:`kg.derived.validate` — SHACL validation of the article graphs (``kg validate``);
* :mod:`kg.derived.reason` — OWL RL inferences into the inferred graph (``kg reason``).

Each takes a :class:`kg.store.KGStore`, local or remote alike. This layer sits above
:mod:`kg.store` and below :mod:`kg.queries`, :mod:`kg.build` and the CLI; the modules are not
imported here, as validation and reasoning load pySHACL, rdflib and owlrl.
"""
