"""What the app is compared with: a formtools wizard and a bare view. Benchmark-only."""
