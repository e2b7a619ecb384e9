// What mlpsite.lab.choices() returns, as the lab's form reads it (a fixture of the JS tests):
// lab-choices.json is Python's answer with the browser's matrix products, and
// tests/site/test_site_lab.py checks that it is Python's answer of today.
import { readFileSync } from "node:fs";

export const CHOICES = JSON.parse(readFileSync(new URL("./lab-choices.json", import.meta.url), "utf8"));
