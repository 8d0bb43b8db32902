import * as vscode from 'vscode';

/** A node of a Baseten tree: it knows how to show itself and, when it has any, how to load its children. */
export interface ExplorerNode {
  readonly id: string;
  treeItem(): vscode.TreeItem;
  children?(signal: AbortSignal): Promise<ExplorerNode[]>;
}

/** A failed load: says what failed and opens the log at that line when clicked. */
export class ErrorNode implements ExplorerNode {
  constructor(
    readonly id: string,
    private readonly what: string,
    private readonly message: string,
    private readonly logReference: string,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Failed to load ${this.what}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.message;
    item.tooltip = new vscode.MarkdownString(`**Failed to load ${this.what}**\n\n${escapeMarkdown(this.message)}\n\nClick to open the log at this error (${this.logReference}).`);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.contextValue = 'baseten.error';
    item.command = { command: 'baseten.showLog', title: 'Show Extension Log', arguments: [this.logReference] };
    return item;
  }
}

/** A line of text in place of children: an empty list, or a note about what is shown. */
export class MessageNode implements ExplorerNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly options: { description?: string; tooltip?: string; icon?: string; command?: vscode.Command } = {},
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.options.description;
    item.tooltip = this.options.tooltip;
    item.iconPath = this.options.icon ? new vscode.ThemeIcon(this.options.icon) : undefined;
    item.contextValue = 'baseten.message';
    item.command = this.options.command;
    return item;
  }
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
