// Replaced as soon as the first pacing class lands.
