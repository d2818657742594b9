"""What every pane uses: item roles, plain text, translations, problem words."""
