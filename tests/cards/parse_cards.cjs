// Parses Adaptive Cards with the official JavaScript renderer (npm adaptivecards) and prints,
// per file, what it reports: unknown elements or actions, duplicate ids, invalid property values.
// Usage: node parse_cards.cjs card.json [card.json ...]  ->  {"card.json": ["message", ...], ...}
const AC = require("adaptivecards/dist/adaptivecards.js");
const fs = require("fs");

const report = {};
for (const file of process.argv.slice(2)) {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(JSON.parse(fs.readFileSync(file, "utf8")), context);
  const problems = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of card.validateProperties().validationEvents) problems.push(event.message);
  report[file] = problems;
}
process.stdout.write(JSON.stringify(report));
