"""GS1 EPCIS 2.0: our events exported as JSON-LD, queried through the REST binding's SimpleEventQuery, and
documents from other systems captured into our lots (``vocabulary`` names things, ``export`` writes,
``query`` selects, ``schema`` validates against GS1's schema, ``capture`` maps documents in)."""
