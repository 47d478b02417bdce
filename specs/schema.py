"""Schema of the catalog's data files: chips, scale-up systems, LLM architectures and prices.

Every number in a chip or system file is a :class:`Sourced` value: the value itself (with its
unit), an optional low/high range, and the :class:`Source` it comes from. A file lists its sources
once under ``sources:`` and each value names one by key::

    sources:
      datasheet: {url: https://..., published: 2023-05-01, retrieved: 2026-11-23,
                  confidence: datasheet}
    memory_bandwidth: {value: 3.35 TB/s, source: datasheet}

Unknown stays null: leave the field out.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from specs.quantity import Bandwidth, Compute, Information, Power, PriceAmount, format_quantity

Confidence = Literal["datasheet", "vendor-claim", "press", "estimate"]
Status = Literal["shipping", "sampling", "announced", "roadmap"]
Direction = Literal["per-direction", "both-directions"]
Topology = Literal["all-to-all", "switched", "torus-2d", "torus-3d", "multi-tier"]
"""How a scale-up fabric joins its chips. all-to-all: a direct link between every pair (8-GPU
Infinity Fabric or HCCS full mesh); switched: non-blocking switches (one or more levels), so every
pair talks at the full link bandwidth (NVLink with NVSwitch, CloudMatrix 384's UB planes);
torus-2d / torus-3d: each chip links only to its neighbours, so traffic between distant chips
shares links over several hops (TPU pods, Trainium2); multi-tier: several switch or mesh levels
whose upper levels are shared (Atlas SuperPoDs)."""
Precision = Literal["fp64", "tf32", "fp16", "bf16", "fp8", "fp4", "int8", "int4"]

ID_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"


class Record(BaseModel):
    """Base of every catalog record: frozen, unknown keys rejected, every field documented."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              arbitrary_types_allowed=True)


class Source(Record):
    """Where a figure comes from."""

    url: str
    """URL of the source, or the title of a document without one."""
    published: date | None
    """Date the source was published (a datasheet's own date, else the product's launch date,
    said in ``note``); null only when it is truly unknown, and then ``note`` says why."""
    retrieved: date | None = None
    """Date the source was read, for pages that change (product pages, databases, docs)."""
    confidence: Confidence
    """datasheet: vendor datasheet or official documentation; vendor-claim: the vendor's own
    statement at an event or in a press release; press: reported by media or third parties;
    estimate: derived or unofficial."""
    title: str | None = None
    """Human-readable title of the source."""
    quote: str | None = None
    """The passage the figure was read from (verbatim or translated)."""
    note: str | None = None
    """How ``published`` was established (launch date standing in for an undated page, month
    only, day inferred) or why it is unknown."""

    @model_validator(mode="after")
    def _unknown_publication_date_explained(self):
        if self.published is None and not self.note:
            raise ValueError("published is null: give the publication date, or say in 'note' "
                             "why it is unknown")
        if self.published and self.retrieved and self.retrieved < self.published:
            raise ValueError(f"retrieved {self.retrieved} is before published {self.published}")
        return self

    @property
    def as_of(self) -> date | None:
        """The date the figure is known to hold: its publication date, else the date it was
        read; None when neither is known."""
        return self.published or self.retrieved


T = TypeVar("T")


class Sourced(Record, Generic[T]):
    """A value with its provenance and, for estimates, an optional low/high range."""

    value: T
    """The value, with its unit where it has one ("3.35 TB/s")."""
    source: Source
    """The source of the value (a key of the file's ``sources:``)."""
    low: T | None = None
    """Lower end of the plausible range, for uncertain values."""
    high: T | None = None
    """Upper end of the plausible range, for uncertain values."""
    note: str | None = None
    """Caveats: conflicting sources, how the value was derived."""

    @model_validator(mode="after")
    def _range_contains_value(self):
        if self.low is not None and self.low > self.value:
            raise ValueError(f"low {self.low} is above the value {self.value}")
        if self.high is not None and self.high < self.value:
            raise ValueError(f"high {self.high} is below the value {self.value}")
        return self


PositiveCount = Annotated[int, Field(gt=0, le=2**31 - 1)]
"""A count (layers, heads, chips, tokens of context): at most 2**31 - 1, above any real model
dimension or cluster, and small enough that products of a few counts stay finite floats."""


class SourcedDocument(Record):
    """A data file with a ``sources:`` table; values name their source by its key."""

    sources: dict[str, Source] = Field(default_factory=dict)
    """The sources this file cites, by a short key that values refer to."""

    @model_validator(mode="before")
    @classmethod
    def _resolve_source_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("sources", {}), dict):
            return data
        sources = data.get("sources") or {}

        def resolve(node: Any, path: str) -> Any:
            if isinstance(node, dict):
                out = {k: resolve(v, f"{path}.{k}" if path else k) for k, v in node.items()}
                key = node.get("source")
                if isinstance(key, str):
                    if key not in sources:
                        known = ", ".join(sorted(sources)) or "none"
                        raise ValueError(f"{path}.source: unknown source '{key}'; define it under "
                                         f"'sources:' (defined: {known})")
                    out["source"] = sources[key]
                return out
            if isinstance(node, list):
                return [resolve(v, f"{path}[{i}]") for i, v in enumerate(node)]
            return node

        return {k: (v if k == "sources" else resolve(v, k)) for k, v in data.items()}


class Link(Record):
    """An interconnect of a chip: its name and its bandwidth per chip."""

    name: str | None = None
    """Name of the interconnect (NVLink 4, Infinity Fabric, HCCS, UB, RoCE)."""
    bandwidth: Sourced[Bandwidth] | None = None
    """Bandwidth per chip, all links added, in the direction convention below; null when
    unpublished."""
    direction: Direction | None = None
    """per-direction: bandwidth one way; both-directions: send and receive added."""

    @model_validator(mode="after")
    def _direction_with_bandwidth(self):
        if self.bandwidth is not None and self.direction is None:
            raise ValueError("a bandwidth needs its direction: per-direction or both-directions")
        return self

    @property
    def both_directions(self):
        """Bandwidth per chip with both directions added (the CSV convention); None if unknown."""
        if self.bandwidth is None:
            return None
        value = self.bandwidth.value
        return value * 2 if self.direction == "per-direction" else value

    @property
    def per_direction(self):
        """Bandwidth per chip one way (what a collective can use to send); None if unknown."""
        if self.bandwidth is None:
            return None
        value = self.bandwidth.value
        return value / 2 if self.direction == "both-directions" else value


class ScaleUp(Link):
    """The chip's scale-up (memory-semantic) interconnect, its all-to-all domain and its pod."""

    domain_chips: Sourced[PositiveCount] | None = None
    """Chips that reach each other at this bandwidth: an all-to-all or switched group (8 for
    HGX H100, 72 for GB200 NVL72). For a torus or multi-tier fabric, only the building block whose
    chips the calculator may treat as one domain (one host's chips, one cabinet), never the pod."""
    topology: Topology | None = None
    """How the fabric joins the chips (see ``Topology``); null when unpublished."""
    pod_chips: Sourced[PositiveCount] | None = None
    """Chips one scale-up fabric reaches in total, over several hops or tiers (8,960 for a TPU
    v5p pod); left out when it equals ``domain_chips``."""

    @model_validator(mode="after")
    def _domain_within_pod(self):
        if self.domain_chips and self.pod_chips and self.domain_chips.value > self.pod_chips.value:
            raise ValueError(f"domain_chips ({self.domain_chips.value}) exceeds pod_chips "
                             f"({self.pod_chips.value}): the all-to-all domain is part of the pod")
        return self


Fraction = Annotated[float, Field(ge=0, le=1)]
"""A share between 0 and 1 (0.13 for 13%)."""
PRICE_MAX_AGE_DAYS = 365
"""A price older than this (by its source's date) is shown with a warning, never hidden."""


class Price(Record):
    """One price for a chip: a purchase price or a rental rate, in USD or CNY.

    How a cost model uses it for a buyer in a region: a price whose ``region`` equals the
    buyer's region is used as it is (a market price there already includes any fee or
    tariff); a price from another region gets the buyer region's surcharges added (the chip's
    :class:`AvailabilityNote` entries of kind ``surcharge`` for that region), then the region's
    import tariff and VAT (``Assumptions.regions[region]``).
    """

    kind: Literal["purchase", "rental"]
    """purchase: per chip (or card); rental: per chip-hour ("2.49 USD/hour")."""
    term: Literal["on-demand", "reserved-1y", "reserved-2y", "reserved-3y"] | None = None
    """Rental term: on-demand, or reserved (committed) for 1, 2 or 3 years; required for a
    rental, forbidden for a purchase."""
    covers: Literal["chip", "server", "all-in"]
    """chip: the accelerator alone (card or module); server: the chip plus its share of the
    server it sits in (an 8-GPU server price divided by 8); all-in: chip, server and its share
    of the network and cluster. A rental covers at least the server."""
    amount: PriceAmount
    """The amount in its currency, e.g. "25000 USD", "180000 CNY" or "2.49 USD/hour"."""
    low: PriceAmount | None = None
    """Lower end of a quoted range or of the plausible range, in the amount's kind."""
    high: PriceAmount | None = None
    """Upper end of a quoted range or of the plausible range, in the amount's kind."""
    region: str | None = None
    """Market the price applies to: "US", "China", "worldwide" (use "China" for CNY prices from
    the Chinese market)."""
    source: Source
    """Where the price was published; its ``as_of`` date (published, else read) is the price's
    date."""
    provider: str | None = None
    """Seller or cloud, with the offer where known."""
    note: str | None = None
    """Caveats: how it was derived (8-GPU server divided by 8), promotional price, what the
    server or rental includes."""

    @model_validator(mode="after")
    def _consistent(self):
        per_hour = "[time]" in str(self.amount.dimensionality)
        if per_hour != (self.kind == "rental"):
            expected = "a rate such as '2.49 USD/hour'" if self.kind == "rental" else \
                "an amount such as '25000 USD'"
            raise ValueError(f"a {self.kind} price needs {expected}, got "
                             f"{format_quantity(self.amount)}")
        if self.source.as_of is None:
            raise ValueError("a price needs a dated source: give its 'published' date (or, for "
                             "an undated page, 'retrieved')")
        if self.kind == "rental" and self.term is None:
            raise ValueError("a rental needs its term: on-demand, reserved-1y, reserved-2y or "
                             "reserved-3y")
        if self.kind == "purchase" and self.term is not None:
            raise ValueError(f"a purchase has no term; remove 'term: {self.term}'")
        if self.kind == "rental" and self.covers == "chip":
            raise ValueError("a rental covers at least the server: use covers 'server' or "
                             "'all-in'")
        amount = format_quantity(self.amount)
        for name in ("low", "high"):
            bound = getattr(self, name)
            if bound is not None and bound.units != self.amount.units:
                raise ValueError(f"{name} {format_quantity(bound)} must be in the amount's unit "
                                 f"({amount.split(' ', 1)[1]})")
        if self.low is not None and self.low > self.amount:
            raise ValueError(f"low {format_quantity(self.low)} is above the amount {amount}")
        if self.high is not None and self.high < self.amount:
            raise ValueError(f"high {format_quantity(self.high)} is below the amount {amount}")
        return self

    @property
    def currency(self) -> str:
        """"USD" or "CNY": the currency the amount is written in."""
        return "CNY" if "renminbi" in dict(self.amount.unit_items()) else "USD"

    def age_days(self, today: date) -> int:
        """Days from the price's source date to ``today``.

        Compare with :data:`PRICE_MAX_AGE_DAYS` to warn about an old price.
        """
        return (today - self.source.as_of).days

    def is_stale(self, today: date, max_age_days: int = PRICE_MAX_AGE_DAYS) -> bool:
        """Whether the price is older than ``max_age_days`` on ``today`` (show it with a
        warning; never drop it)."""
        return self.age_days(today) > max_age_days


class AvailabilityNote(Record):
    """A fact about who can buy the chip, where, and at what extra cost.

    A ``surcharge`` note for a region applies to a price bought into that region from another
    market (a US price for a buyer in China gets the 25% H200 fee); a price whose own region is
    the buyer's region already includes it (see :class:`Price`).
    """

    kind: Literal["export-control", "surcharge", "region", "supply", "other"]
    """What the note is about."""
    text: str
    """The note itself."""
    source: Source
    """Where it comes from."""
    region: str | None = None
    """Region it applies to (e.g. China)."""
    surcharge: Annotated[float, Field(ge=0, le=10)] | None = None
    """Extra fee as a fraction of the price (0.25 for a 25% fee), for kind surcharge."""
    note: str | None = None
    """Caveats, and what further sources say about the same fact."""


ClaimKind = Literal["performance", "cost", "spec", "density", "software"]
"""What a claim compares, and so how ``calc.claims`` checks it. performance: serving
throughput per chip (predicted); cost: $/Mtok (sized and priced); spec: one catalog figure
(``Claim.spec``); density: compute per unit of die area (the catalog records no die area);
software: a serving-software technique the model does not represent (KV-cache compression)."""
SpecFigure = Literal["memory_capacity", "memory_bandwidth", "bf16_dense", "fp8_dense",
                     "fp4_dense", "int8_dense", "tdp", "scaleup_bandwidth", "pod_chips"]
"""Chip figures a spec claim may compare (``scaleup_bandwidth`` both directions added;
``pod_chips``: the chips one scale-up fabric reaches, else its domain)."""


class Claim(Record):
    """A relative-performance claim as stated by a vendor or the press, kept for checking."""

    text: str
    """The claim in words, as stated."""
    source: Source
    """Who claims it, and where."""
    baseline: str | None = None
    """Catalog id of the chip or system it is compared against, if any."""
    metric: str | None = None
    """What is compared (DeepSeek-V3 decode throughput, compute density, inference cost)."""
    model: str | None = None
    """Catalog id of the LLM the claim is about, if any."""
    ratio: Annotated[float, Field(gt=0)] | None = None
    """Claimed value relative to the baseline (0.6 for "60% of H100"; 1.2 for "20% faster")."""
    kind: ClaimKind | None = None
    """What is compared (see ``ClaimKind``); null when the claim is too vague to classify, and
    then it cannot be checked."""
    spec: SpecFigure | None = None
    """For a spec claim: the chip figure compared."""
    value: str | None = None
    """For a spec claim without a stated ratio: the absolute figure claimed, with its unit
    ("144 GB", "256"); the claimed ratio is then this over the baseline's figure."""
    precision: Precision | None = None
    """Precision the claim's chip ran at, where stated (fp4 for NVFP4 results)."""
    baseline_precision: Precision | None = None
    """Precision the baseline ran at, where it differs from ``precision``."""
    chips: PositiveCount | None = None
    """Chips of each kind compared, where stated (1 for a single-GPU result)."""
    input_tokens: PositiveCount | None = None
    """Mean prompt length of the claim's workload, where stated."""
    output_tokens: PositiveCount | None = None
    """Mean answer length of the claim's workload, where stated."""
    note: str | None = None
    """Why a claim without a ``kind`` cannot be checked (no number, no baseline in the catalog,
    a workload the model does not predict), or a caveat on how it is checked."""

    @model_validator(mode="after")
    def _spec_names_its_figure(self):
        if (self.kind == "spec") != (self.spec is not None):
            raise ValueError("a spec claim names the figure it compares in 'spec' "
                             "(memory_capacity, fp8_dense, ...), and only a spec claim does")
        if self.value is not None and self.kind != "spec":
            raise ValueError("'value' (an absolute claimed figure) is for spec claims only")
        return self


class NamedDocument(SourcedDocument):
    """A catalog entry: a vendor-qualified id, the vendor, a display name and aliases."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    """Vendor-qualified id, lower case with hyphens: nvidia-h100-sxm, llama-3.1-70b; equal to
    the file name."""
    vendor: str
    """Vendor name as printed in tables (NVIDIA, Huawei, Moore Threads, Meta)."""
    name: str
    """Product name without the vendor (H100 SXM, Ascend 910C, Llama 3.1 70B)."""
    aliases: list[str] = Field(default_factory=list)
    """Other names users type ("H100", "昇腾910C", "DeepSeek-R1"); unique across the catalog."""

    @field_validator("aliases")
    @classmethod
    def _aliases_not_empty(cls, aliases: list[str]) -> list[str]:
        if any(not alias.strip() for alias in aliases):
            raise ValueError("an alias is empty")
        return aliases


class Chip(NamedDocument):
    """One accelerator SKU. Throughput is dense unless the field name says sparse."""

    architecture: str | None = None
    """Microarchitecture (Hopper, CDNA 3, Da Vinci)."""
    form_factor: str | None = None
    """SXM, OAM, PCIe card, superchip module."""
    status: Status
    """shipping, sampling, announced (specs published, not sampling) or roadmap (plans only)."""
    release_date: Sourced[date] | None = None
    """Date of launch or first shipment."""
    process_node: Sourced[str] | None = None
    """Foundry process (TSMC 4N, SMIC N+2)."""
    fp64_dense: Sourced[Compute] | None = None
    """Dense FP64 matrix throughput."""
    tf32_dense: Sourced[Compute] | None = None
    """Dense TF32 (or FP32 matrix) throughput."""
    fp16_dense: Sourced[Compute] | None = None
    """Dense FP16 throughput."""
    bf16_dense: Sourced[Compute] | None = None
    """Dense BF16 throughput."""
    fp8_dense: Sourced[Compute] | None = None
    """Dense FP8 throughput; null where the chip has no FP8 units."""
    fp4_dense: Sourced[Compute] | None = None
    """Dense FP4 (NVFP4/MXFP4) throughput; null where the chip has no FP4 units."""
    int8_dense: Sourced[Compute] | None = None
    """Dense INT8 throughput (TOPS)."""
    fp16_sparse: Sourced[Compute] | None = None
    """FP16 throughput with 2:4 structured sparsity, as vendors headline it."""
    bf16_sparse: Sourced[Compute] | None = None
    """BF16 throughput with 2:4 structured sparsity."""
    fp8_sparse: Sourced[Compute] | None = None
    """FP8 throughput with 2:4 structured sparsity."""
    fp4_sparse: Sourced[Compute] | None = None
    """FP4 throughput with sparsity (as the vendor states it)."""
    int8_sparse: Sourced[Compute] | None = None
    """INT8 throughput with 2:4 structured sparsity."""
    memory_capacity: Sourced[Information] | None = None
    """Device memory (HBM/GDDR/LPDDR) per chip, decimal GB unless written GiB."""
    memory_type: str | None = None
    """HBM3, HBM3e, HBM2e, GDDR6, LPDDR5X."""
    memory_bandwidth: Sourced[Bandwidth] | None = None
    """Device memory bandwidth per chip."""
    scaleup: ScaleUp | None = None
    """Scale-up interconnect (NVLink, Infinity Fabric, HCCS, ICI)."""
    scaleout: Link | None = None
    """Scale-out network bandwidth per chip (InfiniBand/Ethernet NICs)."""
    tdp: Sourced[Power] | None = None
    """Thermal design power per chip (module power for multi-die modules)."""
    availability: list[AvailabilityNote] = Field(default_factory=list)
    """Export-control status, surcharges, regions where it is sold."""
    claims: list[Claim] = Field(default_factory=list)
    """Relative-performance claims to check against the model."""
    notes: str | None = None
    """Free-text caveats that apply to the whole entry."""

    def peak(self, precision: Precision):
        """Dense peak throughput at ``precision`` (fp16 and bf16 stand in for each other)."""
        field = {"int4": "int8"}.get(precision, precision) + "_dense"
        value = getattr(self, field, None)
        if value is None and precision in ("fp16", "bf16"):
            value = getattr(self, ("bf16" if precision == "fp16" else "fp16") + "_dense")
        return None if value is None else value.value


class System(NamedDocument):
    """A scale-up system or pod built from one kind of chip (GB200 NVL72, CloudMatrix 384)."""

    status: Status
    """shipping, sampling, announced or roadmap."""
    release_date: Sourced[date] | None = None
    """Date of launch or first shipment."""
    chip: str
    """Catalog id of the accelerator it is built from."""
    chips: Sourced[PositiveCount]
    """Accelerators in one system."""
    scaleup_domain_chips: Sourced[PositiveCount]
    """Accelerators that reach each other at the scale-up bandwidth (all-to-all or through one
    switch layer); equal to ``chips`` for an NVL72 rack, smaller for a torus or multi-tier pod."""
    interconnect: str | None = None
    """Name of the scale-up fabric."""
    topology: Topology | None = None
    """How the scale-up fabric joins the chips (see ``Topology``); null when unpublished."""
    scaleup_bandwidth: Link | None = None
    """Scale-up bandwidth per chip inside this system, where it differs from the chip's."""
    memory_capacity: Sourced[Information] | None = None
    """Accelerator memory of the whole system."""
    power: Sourced[Power] | None = None
    """Power of the whole system."""
    claims: list[Claim] = Field(default_factory=list)
    """Relative-performance claims to check against the model."""
    notes: str | None = None
    """Free-text caveats."""

    @model_validator(mode="after")
    def _domain_within_system(self):
        if self.scaleup_domain_chips.value > self.chips.value:
            raise ValueError(f"scaleup_domain_chips ({self.scaleup_domain_chips.value}) exceeds "
                             f"chips ({self.chips.value})")
        return self


class PriceFile(SourcedDocument):
    """The prices of one chip (``specs/prices/<chip-id>.yaml``), each dated and sourced."""

    chip: Annotated[str, Field(pattern=ID_PATTERN)]
    """Catalog id of the chip the prices are for; equal to the file name."""
    prices: Annotated[list[Price], Field(min_length=1)]
    """Purchase prices and rental rates of the chip."""


class MLA(Record):
    """Multi-head latent attention (DeepSeek-V2/V3): low-rank compressed KV."""

    kv_lora_rank: PositiveCount
    """Rank of the compressed KV latent that is cached (512 in DeepSeek-V3)."""
    qk_rope_head_dim: PositiveCount
    """Decoupled RoPE key dimension, cached beside the latent (64)."""
    qk_nope_head_dim: PositiveCount
    """Per-head query/key dimension without RoPE (128)."""
    v_head_dim: PositiveCount
    """Per-head value dimension (128)."""
    q_lora_rank: PositiveCount | None = None
    """Rank of the compressed query (1536); null when queries are not compressed."""


class MoE(Record):
    """Mixture-of-experts feed-forward layers."""

    experts: PositiveCount
    """Routed experts per MoE layer."""
    experts_per_token: PositiveCount
    """Routed experts each token activates (top-k)."""
    expert_ffn_size: PositiveCount
    """Intermediate size of one routed expert."""
    shared_experts: Annotated[int, Field(ge=0)] = 0
    """Experts every token passes through, beside the routed ones."""
    dense_layers: Annotated[int, Field(ge=0)] = 0
    """Leading layers with a dense FFN instead of experts (first_k_dense_replace)."""

    @model_validator(mode="after")
    def _top_k_within_experts(self):
        if self.experts_per_token > self.experts:
            raise ValueError(f"experts_per_token ({self.experts_per_token}) exceeds experts "
                             f"({self.experts})")
        return self


class Model(NamedDocument):
    """An LLM architecture: what inference math needs (shapes, attention, MoE, parameters)."""

    architecture_source: str
    """Key of the source for the shapes below (usually the Hugging Face config.json)."""
    layers: PositiveCount
    """Transformer blocks (L)."""
    hidden_size: PositiveCount
    """Model width (D)."""
    heads: PositiveCount
    """Query heads (N)."""
    kv_heads: PositiveCount
    """Key/value heads (K); equal to heads for MHA."""
    head_dim: PositiveCount
    """Per-head dimension (H) of queries and keys (for MLA, the nope + rope dimension)."""
    ffn_size: PositiveCount
    """Intermediate size of a dense FFN layer (F)."""
    vocab_size: PositiveCount
    """Vocabulary size (V)."""
    attention: Literal["mha", "gqa", "mla"]
    """Attention kind: multi-head, grouped-query or multi-head latent."""
    mla: MLA | None = None
    """MLA ranks, for attention mla."""
    sliding_window: PositiveCount | None = None
    """Window of the sliding-window attention layers, in tokens."""
    sliding_window_layers: Annotated[int, Field(ge=0)] = 0
    """How many layers use the sliding window (the rest attend to the full context)."""
    moe: MoE | None = None
    """Mixture-of-experts layout; null for dense models."""
    gated_ffn: bool = True
    """Whether the FFN has three matrices (SwiGLU gate, up, down) rather than two."""
    tied_embeddings: bool = False
    """Whether input embedding and output head share one matrix."""
    non_ffn_weights_at_4bit: Sourced[Literal["bf16", "fp16", "fp8"]] | None = None
    """Precision the model's published 4-bit checkpoints keep the weights outside the FFN and
    experts in (attention projections, embedding, output head); null where a 4-bit checkpoint
    quantises those as well."""
    params_total: Sourced[Annotated[float, Field(gt=0)]]
    """Total parameters, as published."""
    params_active: Sourced[Annotated[float, Field(gt=0)]]
    """Parameters active per token, as published (equal to total for dense models)."""
    max_context: PositiveCount
    """Longest context the model supports, in tokens."""
    notes: str | None = None
    """Free-text caveats."""

    @model_validator(mode="after")
    def _consistent(self):
        if self.attention == "mla" and self.mla is None:
            raise ValueError("attention 'mla' needs an 'mla:' block with its ranks")
        if self.attention != "mla" and self.mla is not None:
            raise ValueError(f"an 'mla:' block needs attention 'mla', not '{self.attention}'")
        if self.attention == "mha" and self.kv_heads != self.heads:
            raise ValueError(f"MHA has as many KV heads as heads ({self.heads}), "
                             f"not {self.kv_heads}; use attention 'gqa'")
        if self.heads % self.kv_heads:
            raise ValueError(f"heads ({self.heads}) must be a multiple of kv_heads "
                             f"({self.kv_heads})")
        if self.sliding_window_layers > self.layers:
            raise ValueError("sliding_window_layers exceeds layers")
        if self.sliding_window_layers and self.sliding_window is None:
            raise ValueError("sliding_window_layers given without sliding_window")
        if self.moe and self.moe.dense_layers > self.layers:
            raise ValueError("moe.dense_layers exceeds layers")
        if self.params_active.value > self.params_total.value:
            raise ValueError("params_active exceeds params_total")
        if self.architecture_source not in self.sources:
            raise ValueError(f"architecture_source '{self.architecture_source}' is not a key of "
                             f"'sources:'")
        return self


def slug(text: str) -> str:
    """Normalise a name for lookup: lower case, runs of spaces/underscores become '-'.

    >>> slug("  H100_SXM ")
    'h100-sxm'
    """
    return re.sub(r"[\s_]+", "-", text.strip().lower())
