"""Everything that needs no Django: the questions, the rules, the cost model, the charts."""
