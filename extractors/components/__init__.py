"""Stage 3, the spaCy components: tokenizer, factories and the rules and data behind them."""
