"""The commands, side by side: build, serve, export, deploy. Each drives the same pipeline."""
