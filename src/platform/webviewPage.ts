import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** The panel's folder under media/ (its CSS) and the name of its bundle in media/dist/. */
  name: string;
  title: string;
  /** `data-panel` of the body, so tests can tell pages apart. */
  panel?: string;
  /** Allow `data:` images (rendered model output may carry them); never remote ones. */
  dataImages?: boolean;
  body: string;
}

/**
 * The HTML of a Baseten webview: a nonce CSP with `default-src 'none'`, its script and style only from
 * `media/`, no remote content and no inline script or handler.
 */
export function webviewHtml(webview: vscode.Webview, mediaRoot: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'dist', `${page.name}.js`));
  const base = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'webview.css'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, page.name, `${page.name}.css`));
  const csp = [
    "default-src 'none'",
    ...(page.dataImages ? [`img-src ${webview.cspSource} data:`] : []),
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${base}">
<link rel="stylesheet" href="${style}">
<title>${page.title}</title>
</head>
<body${page.panel ? ` data-panel="${page.panel}"` : ''}>
${page.body.trim()}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Scripts on, resources only from media/, the Baseten icon, and the page. */
export function showPage(panel: vscode.WebviewPanel, mediaRoot: vscode.Uri, page: WebviewPage): void {
  panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot] };
  panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'baseten.svg');
  panel.webview.html = webviewHtml(panel.webview, mediaRoot, page);
}
