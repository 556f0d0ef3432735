/**
 * Writes a D1 database's id into wrangler.toml as a text edit of the one `[[d1_databases]]` block that
 * names the database, so the file's comments and layout stay as they are (wrangler's own config
 * patcher only handles JSON files).
 */

/**
 * The TOML text with `database_id = "<id>"` set in the `[[d1_databases]]` block whose database_name is
 * `name`: an existing database_id line is replaced, otherwise one is added after database_name.
 * @param {string} toml
 * @param {string} name
 * @param {string} id
 * @returns {string}
 */
export function withDatabaseId(toml, name, id) {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a D1 database id: ${id}`);
  const lines = toml.split("\n");
  const blockStart = lines.findIndex(
    (line, index) => line.trim() === "[[d1_databases]]" && nameLineIn(lines, index + 1, name) !== undefined,
  );
  if (blockStart === -1) throw new Error(`wrangler.toml has no [[d1_databases]] block for "${name}"`);
  const nameLine = /** @type {number} */ (nameLineIn(lines, blockStart + 1, name));
  const idLine = lines.findIndex(
    (line, index) =>
      index > blockStart && index < blockEnd(lines, blockStart + 1) && /^\s*database_id\s*=/.test(line),
  );
  const entry = `database_id = "${id}"`;
  if (idLine === -1) lines.splice(nameLine + 1, 0, entry);
  else lines[idLine] = entry;
  return lines.join("\n");
}

/**
 * The index of the line `database_name = "<name>"` inside the block starting at `from`, if any.
 * @param {string[]} lines
 * @param {number} from
 * @param {string} name
 */
function nameLineIn(lines, from, name) {
  const end = blockEnd(lines, from);
  for (let index = from; index < end; index++) {
    const match = /^\s*database_name\s*=\s*"([^"]*)"/.exec(lines[index] ?? "");
    if (match?.[1] === name) return index;
  }
  return undefined;
}

/**
 * The index of the next table header (or the end of the file): where a block's keys end.
 * @param {string[]} lines
 * @param {number} from
 */
function blockEnd(lines, from) {
  const next = lines.findIndex((line, index) => index >= from && /^\s*\[/.test(line));
  return next === -1 ? lines.length : next;
}
