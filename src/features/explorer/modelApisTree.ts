import * as vscode from 'vscode';
import { ModelApi, describeModelFeature, pricePerMillionTokens } from '../../client';
import { BasetenServices } from '../../platform/services';
import { ExplorerNode, escapeMarkdown } from '../../platform/treeNodes';
import { BasetenTreeProvider, TreeProviderOptions } from './treeProvider';

export function formatTokens(count: number | undefined): string | undefined {
  if (!count) return undefined;
  if (count >= 1_000_000) return `${Math.round(count / 100_000) / 10}M`;
  if (count >= 1000) return `${Math.round(count / 1000)}K`;
  return String(count);
}

export function formatPrice(perMillion: number | undefined): string {
  if (perMillion === undefined) return '?';
  return `$${perMillion.toFixed(2)}`;
}

/** A token count as said aloud: "262 thousand", "1 million". */
export function tokensInWords(count: number): string {
  if (count >= 1_000_000) return `${Math.round(count / 100_000) / 10} million`;
  if (count >= 1000) return `${Math.round(count / 1000)} thousand`;
  return String(count);
}

/** What a screen reader says for a Model API row: its figures in words, not "262K ctx · $1.74/$3.48 per M". */
export function modelApiSpokenLabel(model: ModelApi, features: string[]): string {
  const input = pricePerMillionTokens(model.pricing?.prompt);
  const output = pricePerMillionTokens(model.pricing?.completion);
  const parts = [`${model.name || model.id}, Model API`];
  if (model.context_length) parts.push(`${tokensInWords(model.context_length)} token context`);
  if (input !== undefined || output !== undefined) parts.push(`${formatPrice(input)} input, ${formatPrice(output)} output per million tokens`);
  if (features.length) parts.push(`supports ${features.join(', ')}`);
  return parts.join(', ');
}

/** One Model API of the live catalogue: name, context length, price per million tokens, features. */
export class ModelApiNode implements ExplorerNode {
  readonly id: string;

  constructor(readonly model: ModelApi) {
    this.id = `modelApi/${model.id}`;
  }

  get features(): string[] {
    return (this.model.supported_features ?? []).map(describeModelFeature);
  }

  treeItem(): vscode.TreeItem {
    const model = this.model;
    const item = new vscode.TreeItem(model.name || model.id, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const input = pricePerMillionTokens(model.pricing?.prompt);
    const output = pricePerMillionTokens(model.pricing?.completion);
    const context = formatTokens(model.context_length);
    // Context and input/output price per million tokens, short enough for the sidebar's default width; the
    // tooltip says it in words (reasoning shows as the icon).
    item.description = [context, `${formatPrice(input)}/${formatPrice(output)}`].filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(model.name || model.id)}**  \n\`${model.id}\`\n\n`);
    if (model.description) tooltip.appendMarkdown(`${escapeMarkdown(model.description)}\n\n`);
    tooltip.appendMarkdown(`| | |\n|---|---|\n`);
    if (model.context_length) tooltip.appendMarkdown(`| Context | ${model.context_length.toLocaleString('en-US')} tokens |\n`);
    if (model.max_completion_tokens) tooltip.appendMarkdown(`| Max output | ${model.max_completion_tokens.toLocaleString('en-US')} tokens |\n`);
    tooltip.appendMarkdown(`| Input | ${formatPrice(input)} per M tokens |\n| Output | ${formatPrice(output)} per M tokens |\n`);
    const cached = pricePerMillionTokens(model.pricing?.input_cache_read);
    if (cached !== undefined) tooltip.appendMarkdown(`| Cached input | ${formatPrice(cached)} per M tokens |\n`);
    if (this.features.length) tooltip.appendMarkdown(`| Features | ${this.features.join(', ')} |\n`);
    if (model.input_modalities?.length) tooltip.appendMarkdown(`| Input | ${model.input_modalities.join(', ')} |\n`);
    if (model.quantization) tooltip.appendMarkdown(`| Quantization | ${model.quantization} |\n`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: modelApiSpokenLabel(model, this.features) };
    item.iconPath = new vscode.ThemeIcon(this.model.supported_features?.includes('reasoning') ? 'lightbulb-sparkle' : 'sparkle');
    item.contextValue = 'baseten.modelApi';
    return item;
  }
}

export class ModelApisTreeProvider extends BasetenTreeProvider {
  constructor(
    private readonly services: BasetenServices,
    options: Omit<TreeProviderOptions, 'viewId' | 'what'>,
  ) {
    super({ ...options, viewId: 'baseten.modelApis', what: 'Model APIs' });
  }

  protected async loadRoot(signal: AbortSignal): Promise<ExplorerNode[]> {
    const models = await this.services.client.modelApis.listModels({ signal });
    return models
      .slice()
      .sort((a, b) => (a.name || a.id).localeCompare(b.name || b.id))
      .map((model) => new ModelApiNode(model));
  }
}
