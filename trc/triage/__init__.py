"""The triage corpus and model: labelled texts, their one split, training, operators' exports."""
