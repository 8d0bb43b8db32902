/**
 * The Model APIs the emulator serves. Catalogue entries are copied from the recorded `GET /v1/models`
 * (recordings/TestClient/Warmup.yaml); behaviours mirror what the recorded chat traffic of each engine
 * shows.
 */
import type { ModelApiBehaviour, ModelApiEntry, ModelApiState } from '../state/state';

const TEXT_ONLY = ['text'];

const GPT_OSS: ModelApiEntry = {
  id: 'openai/gpt-oss-120b',
  created: 1754410981,
  object: 'model',
  owned_by: 'baseten',
  name: 'OpenAI GPT 120B',
  description: 'Extremely capable general-purpose LLM with strong, controllable reasoning capabilities',
  context_length: 128072,
  max_completion_tokens: 128072,
  quantization: 'fp4',
  pricing: { prompt: '0.0000001', completion: '0.0000005', image: '0', request: '0', input_cache_read: '0.0000001' },
  supported_sampling_parameters: ['temperature', 'stop'],
  supported_features: ['tools', 'reasoning', 'json_mode', 'structured_outputs', 'reasoning_effort'],
  input_modalities: TEXT_ONLY,
  output_modalities: TEXT_ONLY,
};

const KIMI: ModelApiEntry = {
  id: 'moonshotai/Kimi-K2.6',
  created: 1776647514,
  object: 'model',
  owned_by: 'baseten',
  name: 'Kimi K2.6',
  description:
    'State-of-the-art open-source language model purpose-built for agentic workflows and complex coding tasks. It excels at multi-step reasoning, tool use, and long-horizon problem solving',
  context_length: 262000,
  max_completion_tokens: 262000,
  quantization: 'fp4',
  pricing: { prompt: '0.00000095', completion: '0.000004', image: '0', request: '0', input_cache_read: '0.00000016' },
  supported_sampling_parameters: ['temperature', 'stop'],
  supported_features: ['tools', 'json_mode', 'structured_outputs', 'reasoning'],
  input_modalities: ['text', 'image'],
  output_modalities: TEXT_ONLY,
};

const DEEPSEEK: ModelApiEntry = {
  id: 'deepseek-ai/DeepSeek-V4-Pro',
  created: 1777158262,
  object: 'model',
  owned_by: 'baseten',
  name: 'Deepseek V4 Pro',
  description:
    'A 1.6T-parameter mixture-of-experts model with 1M-token context, built for agentic workflows, complex coding, and multi-step reasoning. Achieves frontier-class performance on SWE-bench, LiveCodeBench, and tool-use benchmarks while activating only 49B parameters at inference',
  context_length: 262144,
  max_completion_tokens: 262144,
  quantization: 'fp4',
  pricing: { prompt: '0.00000174', completion: '0.00000348', image: '0', request: '0', input_cache_read: '0.000000145' },
  supported_sampling_parameters: ['temperature', 'stop'],
  // The recording lists no reasoning_effort; Baseten's reasoning page says V4 Pro takes it.
  supported_features: ['tools', 'json_mode', 'structured_outputs', 'reasoning', 'reasoning_effort'],
  input_modalities: TEXT_ONLY,
  output_modalities: TEXT_ONLY,
};

const GLM: ModelApiEntry = {
  id: 'zai-org/GLM-5.2',
  created: 1781592325,
  object: 'model',
  owned_by: 'baseten',
  name: 'GLM 5.2',
  description: '',
  context_length: 1048576,
  max_completion_tokens: 262144,
  quantization: 'fp8',
  pricing: { prompt: '0.0000014', completion: '0.0000044', image: '0', request: '0', input_cache_read: '0.00000014' },
  supported_sampling_parameters: ['temperature', 'top_p', 'stop'],
  supported_features: ['tools', 'json_mode', 'structured_outputs', 'reasoning'],
  input_modalities: TEXT_ONLY,
  output_modalities: TEXT_ONLY,
  hugging_face_id: 'zai-org/GLM-5.2',
};

const MULTIMODAL_REFUSAL = 'This model does not support multimodal (image/video/audio) inputs.';
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

const BEHAVIOURS: Record<string, ModelApiBehaviour> = {
  [GPT_OSS.id]: {
    wire: 'vllm',
    sendsServingHeaders: true,
    endsAbruptlyOnStopString: false,
    reasoningByDefault: true,
    reasoningEfforts: EFFORTS,
    countsReasoningTokens: false,
    duplicateReasoningField: true,
    finishDeltaReasoning: false,
    shortAnswerAfterFinish: false,
    reasonsBeforeForcedToolCall: true,
    roleOnlyFirstChunk: true,
    toolStreaming: 'pieces-null-name',
    toolArgumentsStyle: 'indented',
    toolCallIdStyle: 'chatcmpl-tool',
    stopScope: 'content',
    vision: false,
    imageRejection: 'image_url is not supported',
    maxTopLogprobs: 20,
    errorStyle: 'nested',
    promptOverheadTokens: 70,
    servingModelId: '32ppevvq',
    servingDeploymentId: 'qvvndvx',
  },
  [KIMI.id]: {
    wire: 'kimi',
    sendsServingHeaders: true,
    endsAbruptlyOnStopString: false,
    reasoningByDefault: false,
    reasoningEfforts: [],
    countsReasoningTokens: true,
    duplicateReasoningField: false,
    finishDeltaReasoning: false,
    shortAnswerAfterFinish: false,
    reasonsBeforeForcedToolCall: true,
    roleOnlyFirstChunk: false,
    toolStreaming: 'pieces-same-id',
    toolArgumentsStyle: 'python',
    toolCallIdStyle: 'kimi',
    stopScope: 'content',
    vision: true,
    imageRejection: MULTIMODAL_REFUSAL,
    maxTopLogprobs: 20,
    errorStyle: 'nested',
    promptOverheadTokens: 8,
    servingModelId: 'q3kimi26',
    servingDeploymentId: 'w1k26rv',
  },
  [DEEPSEEK.id]: {
    wire: 'vllm',
    sendsServingHeaders: true,
    endsAbruptlyOnStopString: false,
    reasoningByDefault: true,
    reasoningEfforts: EFFORTS,
    countsReasoningTokens: true,
    duplicateReasoningField: false,
    finishDeltaReasoning: true,
    shortAnswerAfterFinish: true,
    reasonsBeforeForcedToolCall: false,
    roleOnlyFirstChunk: false,
    toolStreaming: 'whole',
    toolArgumentsStyle: 'python',
    toolCallIdStyle: 'chatcmpl-tool',
    stopScope: 'all',
    vision: false,
    imageRejection: MULTIMODAL_REFUSAL,
    maxTopLogprobs: 20,
    errorStyle: 'nested',
    promptOverheadTokens: 4,
    servingModelId: 'wx4g5r5q',
    servingDeploymentId: 'qvmz15j',
  },
  [GLM.id]: {
    wire: 'glm',
    sendsServingHeaders: false,
    endsAbruptlyOnStopString: true,
    reasoningByDefault: true,
    reasoningEfforts: ['none', 'high', 'max'],
    countsReasoningTokens: true,
    duplicateReasoningField: false,
    finishDeltaReasoning: false,
    shortAnswerAfterFinish: false,
    reasonsBeforeForcedToolCall: true,
    roleOnlyFirstChunk: false,
    toolStreaming: 'pieces-same-id',
    toolArgumentsStyle: 'python',
    toolCallIdStyle: 'chatcmpl-tool',
    stopScope: 'all',
    vision: false,
    imageRejection: MULTIMODAL_REFUSAL,
    maxTopLogprobs: 1,
    errorStyle: 'flat',
    promptOverheadTokens: 12,
    servingModelId: 'g5m2zai0',
    servingDeploymentId: 'glm52pr',
  },
};

/** The catalogue in the order Baseten lists it (by creation). */
export function buildModelApis(): ModelApiState[] {
  return [GPT_OSS, KIMI, DEEPSEEK, GLM].map((entry) => ({
    enabled: true,
    entry: structuredClone(entry),
    behaviour: { ...BEHAVIOURS[entry.id] },
  }));
}

export const MODEL_API_IDS = [DEEPSEEK.id, GPT_OSS.id, GLM.id, KIMI.id] as const;
