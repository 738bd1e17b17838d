// Replaced as soon as the first simulator class lands.
