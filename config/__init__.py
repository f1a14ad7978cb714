"""Configuration: settings, deadline rules and the local clock. The bottom layer: imports nothing of ours."""
