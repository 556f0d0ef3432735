/**
 * An HTML (or XHTML) page reduced to the text a reader sees, with htmlparser2 (a forgiving streaming
 * parser that decodes entities): scripts, styles and other non-content elements are dropped, white space
 * inside text collapses as a browser collapses it, block elements (paragraphs, headings, list items, table
 * rows, line breaks) start new lines (blank lines are dropped), table cells are separated by tabs, and `<pre>` keeps its layout.
 * The page title is returned separately.
 */
import { Parser } from "htmlparser2";

export interface HtmlText {
  text: string;
  title: string | null;
  /** The document's language as its `<html lang>` declares it. */
  lang: string | null;
}

const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "head",
  "iframe",
  "object",
]);

const BLOCKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "thead",
  "tfoot",
  "tr",
  "ul",
  "caption",
  "body",
  "html",
]);

export function htmlToText(html: string): HtmlText {
  const lines: string[] = [];
  let line = "";
  let skipDepth = 0;
  let preDepth = 0;
  let inTitle = false;
  let title = "";
  let lang: string | null = null;

  const breakLine = () => {
    const trimmed = line.replace(/[ \t]+$/u, "");
    if (trimmed.trim() !== "") lines.push(preDepth > 0 ? trimmed : trimmed.trimStart());
    line = "";
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "html" && attributes["lang"]) lang = attributes["lang"];
        if (name === "title") inTitle = true;
        if (SKIPPED.has(name)) skipDepth++;
        if (skipDepth > 0) return;
        if (name === "pre") preDepth++;
        if (BLOCKS.has(name) || name === "br") breakLine();
        else if (name === "td" || name === "th") {
          if (line.trim() !== "") line += "\t";
        }
      },
      ontext(data) {
        if (inTitle) title += data;
        if (skipDepth > 0) return;
        if (preDepth > 0) {
          const [first = "", ...rest] = data.split("\n");
          line += first;
          for (const part of rest) {
            lines.push(line);
            line = part;
          }
          return;
        }
        const collapsed = data.replace(/\s+/gu, " ");
        line += line === "" || line.endsWith(" ") || line.endsWith("\t") ? collapsed.trimStart() : collapsed;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (BLOCKS.has(name)) breakLine();
        if (name === "pre") preDepth = Math.max(0, preDepth - 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  breakLine();
  const cleanTitle = title.replace(/\s+/gu, " ").trim();
  return { text: lines.join("\n"), title: cleanTitle === "" ? null : cleanTitle, lang };
}
