import { describe, expect, it } from "vitest";
import { capText, csvCell, htmlEscape, terminalSafe } from "./display-text";

describe("client strings shown safely", () => {
  it("terminal: ANSI escapes, carriage returns and bidi overrides become visible text", () => {
    expect(terminalSafe("red\u001b[31m\rX\u202eY")).toBe("red\\u001b[31m\\u000dX\\u202eY");
    expect(terminalSafe("plain café")).toBe("plain café");
  });

  it("CSV: formulas neutralised, quoting kept, numbers and a lone dash untouched", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("-")).toBe("-");
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell("a,b")).toBe('"a,b"');
  });

  it("HTML escaped; long strings capped", () => {
    expect(htmlEscape(`<script>alert("x")</script>&'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    expect(capText("x".repeat(200), 128)).toHaveLength(128);
    expect(capText("short", 128)).toBe("short");
  });
});
