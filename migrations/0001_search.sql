-- The search index (see docs/search.md). Posts stay in KV; D1 holds what search matches and shows.
-- Applied by deploy and `npm start` (or `npx wrangler d1 migrations apply SEARCH --remote`);
-- never edit an applied migration: add the next file.

-- One row per published post. id = the post's date in seconds × 1024 + a slot (src/shared/search-index.ts),
-- the same number as its rows in search_text and search_fts.
CREATE TABLE search_posts (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  author TEXT,
  source TEXT,
  date TEXT NOT NULL,
  hash TEXT NOT NULL
);

-- The plain text snippets are cut from, apart so that ranking never reads it.
CREATE TABLE search_text (
  id INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);

-- Tokens are made by deploy (CJK pairs, folded words) and joined by spaces; `ascii` splits only there.
-- Contentless: the index alone, no copy of the tokens; contentless_delete lets rows be deleted by id.
CREATE VIRTUAL TABLE search_fts USING fts5(
  title, meta, body,
  content = '', contentless_delete = 1,
  tokenize = 'ascii'
);

-- What deploy last finished writing: name 'index' = the hash over every row (search:index in KV), so a
-- deploy with nothing to change for search reads one value instead of every row.
CREATE TABLE search_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TRIGGER search_posts_delete AFTER DELETE ON search_posts BEGIN
  DELETE FROM search_fts WHERE rowid = old.id;
  DELETE FROM search_text WHERE id = old.id;
END;
