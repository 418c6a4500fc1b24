"""Spanish as it is written in the United States (CLDR es_US): a decimal point and a comma
between thousands, as on the prices, distances and phone bills readers see every day.
Everything else comes from Django's own Spanish formats."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
