"""信访态势: the county petition situation dashboard (app shell, CLI, settings)."""
