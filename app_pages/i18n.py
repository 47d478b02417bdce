"""Every UI string of the app in English and Simplified Chinese, from one table; numbers and units
are the same in both languages. ``?lang=zh`` selects Chinese."""

import streamlit as st

LANGUAGES = {"en": "English", "zh": "简体中文"}

QUANTITIES = {  # column stem of calc.tables.CHIP_QUANTITIES -> (English, Chinese)
    "bf16_dense": ("BF16 dense", "BF16 稠密算力"), "fp8_dense": ("FP8 dense", "FP8 稠密算力"),
    "fp4_dense": ("FP4 dense", "FP4 稠密算力"), "int8_dense": ("INT8 dense", "INT8 稠密算力"),
    "memory": ("memory", "显存容量"), "memory_bandwidth": ("memory bandwidth", "显存带宽"),
    "scaleup_bandwidth": ("scale-up bandwidth, both directions", "纵向扩展带宽(双向)"),
    "scaleup_domain": ("scale-up domain, all-to-all", "纵向扩展域(全互联)"),
    "tdp": ("TDP", "热设计功耗"), "fp16_dense": ("FP16 dense", "FP16 稠密算力"),
    "tf32_dense": ("TF32 dense", "TF32 稠密算力"), "fp64_dense": ("FP64 dense", "FP64 稠密算力"),
    "bf16_sparse": ("BF16 sparse", "BF16 稀疏算力"), "fp8_sparse": ("FP8 sparse", "FP8 稀疏算力"),
    "fp4_sparse": ("FP4 sparse", "FP4 稀疏算力"),
    "scaleout_bandwidth": ("scale-out bandwidth, per direction", "横向扩展带宽(单向)"),
    "scaleup_pod": ("scale-up pod", "纵向扩展超节点"),
}

STRINGS = {
    "language": ("Language", "语言"),
    "page.compare": ("Compare", "对比"), "page.catalog": ("Catalog and models", "目录与模型"),
    "page.predict": ("Predict", "预测"),
    # compare page
    "compare.title": ("Compare accelerators", "加速器对比"),
    "compare.chips": ("Chips (names, aliases or vendors, comma separated)",
                      "芯片(名称、别名或厂商,逗号分隔)"),
    "compare.chips_help": ("e.g. H100, H200, 昇腾 — a part of a name finds every chip that has it",
                           "例如 H100, H200, 昇腾 — 名称的一部分会找到所有包含它的芯片"),
    "compare.buyable_china": ("Buyable in China only", "仅限中国可购买"),
    "compare.none": ("No chip passes these filters; remove one.", "没有芯片符合这些筛选条件,请去掉一个。"),
    "compare.count": ("Chips compared", "对比的芯片数"),
    "compare.estimate_note": ("~ marks an estimate (not a published figure); empty means "
                              "unknown. Dense throughput unless marked sparse; GB = 10⁹ bytes.",
                              "~ 表示估计值(非公开发布数据);空白表示未知。除标注稀疏外均为稠密算力;"
                              "GB = 10⁹ 字节。"),
    "compare.sources": ("Source of every value", "每个数值的来源"),
    "compare.bars": ("Bars per metric", "单项指标柱状图"), "compare.metric": ("Metric", "指标"),
    "compare.roofline": ("Roofline", "屋顶线模型"),
    "compare.intensity": ("arithmetic intensity (FLOP/byte)", "算术强度 (FLOP/byte)"),
    "compare.attainable": ("attainable throughput (TFLOPS)", "可达算力 (TFLOPS)"),
    "compare.ridge": ("ridge point", "拐点"), "any": ("any", "不限"),
    "compare.ridge_note": ("Black dots: each chip's ridge point (peak ÷ memory bandwidth).",
                           "黑点:各芯片的拐点(峰值算力 ÷ 显存带宽)。"),
    "compare.price": ("Price and performance", "价格与性能"),
    "compare.own": ("Own or rent", "自购或租用"), "own": ("own (TCO)", "自购 (总拥有成本)"),
    "rent": ("rent", "租用"), "region": ("Buyer region", "买方地区"),
    "currency": ("Currency", "货币"), "precision": ("Precision", "精度"),
    "compare.cost_axis": ("cost per chip-hour ({currency}/h)", "每芯片小时成本 ({currency}/h)"),
    "compare.price_axis": ("price paid ({currency})", "购买价格 ({currency})"),
    "compare.y": ("Vertical axis", "纵轴"),
    "compare.cost_choice": ("cost per chip-hour", "每芯片小时成本"),
    "compare.price_choice": ("price paid", "支付价格"),
    "compare.dense_axis": ("{precision} dense (TFLOPS)", "{precision} 稠密算力 (TFLOPS)"),
    "compare.no_prices": ("None of these chips has such a price in the price book.",
                          "价格库中这些芯片都没有此类价格。"),
    "compare.price_note": ("Prices from the price book (indicative, not quotes): owned cost "
                           "includes capital, hosting and power over the chip's life.",
                           "价格来自价格库(仅供参考,非报价):自购成本含资本、托管与电费,按使用寿命摊销。"),
    "unit.memory": ("Memory unit", "容量单位"), "unit.bandwidth": ("Bandwidth unit", "带宽单位"),
    "unit.compute": ("Throughput unit", "算力单位"),
    # catalog page
    "catalog.title": ("Accelerator catalog", "加速器目录"),
    "catalog.caption": ("Dense throughput unless marked sparse; GB = 10⁹ bytes. Empty means "
                        "unknown (not published), never guessed. Indicative figures, not quotes: "
                        "check each source.",
                        "除标注稀疏外均为稠密算力;GB = 10⁹ 字节。空白表示未知(未公开),从不猜测。"
                        "数据仅供参考,非报价:请核对每个来源。"),
    "tab.chips": ("Chips", "芯片"), "tab.systems": ("Systems", "系统"),
    "tab.models": ("Models", "模型"), "tab.add": ("Add your own", "添加自定义"),
    "vendor": ("Vendor", "厂商"), "status": ("Status", "状态"),
    "search": ("Search id or name", "搜索 ID 或名称"), "chips_shown": ("Chips shown", "显示的芯片数"),
    "download.csv": ("Download CSV", "下载 CSV"), "download.xlsx": ("Download XLSX", "下载 XLSX"),
    "sources_of": ("Sources of", "来源:"),
    "claim": ("Claim", "宣称"), "availability": ("Availability", "供应情况"),
    "upload": ("Upload a chip, system or model (YAML like specs/, or a Hugging Face config.json)",
               "上传芯片、系统或模型(与 specs/ 同格式的 YAML,或 Hugging Face config.json)"),
    "upload.help": ("At most 100 kB; checked by the same schema as the shipped files; kept only "
                    "in this browser session.",
                    "最大 100 kB;与内置文件使用同一模式校验;仅保存在本次浏览器会话中。"),
    "upload.added": ("Added {id} for this session.", "已为本次会话添加 {id}。"),
    "upload.yours": ("Yours in this session", "本次会话中您添加的"),
    "own.title": ("Or type a chip's figures", "或手动输入芯片参数"),
    "own.caption": ("Each figure as a number and its unit, in any compatible unit (GiB, Tbit/s, "
                    "PFLOPS, kW); leave a field empty when it is unknown. Your figures are marked "
                    "as your own estimates, kept only in this browser session and never put in "
                    "a shared link.",
                    "每项参数写成数值加单位,可用任何兼容单位(GiB、Tbit/s、PFLOPS、kW);未知则留空。"
                    "您输入的参数标记为您自己的估计值,仅保存在本次浏览器会话中,不会写入分享链接。"),
    "own.name": ("Name", "名称"), "own.vendor": ("Vendor", "厂商"), "own.status": ("Status", "状态"),
    "own.memory_capacity": ("Memory per chip", "每芯片显存容量"),
    "own.memory_bandwidth": ("Memory bandwidth", "显存带宽"),
    "own.bf16_dense": ("BF16 dense compute", "BF16 稠密算力"),
    "own.fp8_dense": ("FP8 dense compute", "FP8 稠密算力"),
    "own.fp4_dense": ("FP4 dense compute (optional)", "FP4 稠密算力(可选)"),
    "own.scaleup_bandwidth": ("Scale-up bandwidth per chip, per direction",
                              "每芯片纵向扩展带宽(单向)"),
    "own.scaleup_domain_chips": ("Scale-up domain (chips)", "纵向扩展域(芯片数)"),
    "own.tdp": ("TDP", "热设计功耗"), "own.example": ("e.g. {example}", "例如 {example}"),
    "own.unknown": ("unknown", "未知"), "own.add": ("Add chip", "添加芯片"),
    "own.model_title": ("Or paste a model's Hugging Face config.json",
                        "或粘贴模型的 Hugging Face config.json"),
    "own.model_id": ("Model id", "模型 ID"), "own.config": ("config.json", "config.json"),
    "own.add_model": ("Add model", "添加模型"),
    "own.taken": ("The id {id} is taken by a chip already in the catalog: give yours another "
                  "name.", "ID {id} 已被目录中的芯片使用:请换一个名称。"),
}
"""key -> (English, Chinese)."""

COLUMNS = {  # table column names -> (English, Chinese); unit suffixes stay as they are
    "id": ("id", "ID"), "vendor": ("vendor", "厂商"), "name": ("name", "名称"),
    "status": ("status", "状态"), "release_date": ("release date", "发布日期"),
    "chip": ("chip", "芯片"), "quantity": ("quantity", "指标"), "value": ("value", "数值"),
    "low": ("low", "下限"), "high": ("high", "上限"), "confidence": ("confidence", "可信度"),
    "published": ("published", "发布日期"), "retrieved": ("retrieved", "获取日期"),
    "source": ("source", "来源"), "url": ("url", "网址"), "note": ("note", "备注"),
    "key": ("key", "键"), "chips": ("chips", "芯片数"),
    # systems
    "scaleup_domain_chips": ("scale-up domain (chips)", "纵向扩展域 (芯片数)"),
    "interconnect": ("interconnect", "互联"), "topology": ("topology", "拓扑"),
    "scaleup_bandwidth_gb_s": ("scale-up bandwidth per chip, both directions (GB/s)",
                               "每芯片纵向扩展带宽,双向 (GB/s)"),
    "memory_tb": ("memory (TB)", "显存总量 (TB)"), "power_kw": ("power (kW)", "功耗 (kW)"),
    # models
    "params_total_b": ("parameters, total (billions)", "总参数 (十亿)"),
    "params_active_b": ("parameters, active (billions)", "激活参数 (十亿)"),
    "layers": ("layers", "层数"), "hidden_size": ("hidden size", "隐藏维度"),
    "heads": ("heads", "注意力头数"), "kv_heads": ("KV heads", "KV 头数"),
    "head_dim": ("head dim", "头维度"), "ffn_size": ("FFN size", "FFN 维度"),
    "vocab_size": ("vocabulary", "词表大小"), "attention": ("attention", "注意力类型"),
    "experts": ("experts", "专家数"), "experts_per_token": ("experts per token", "每词元专家数"),
    "shared_experts": ("shared experts", "共享专家数"),
    "sliding_window": ("sliding window (tokens)", "滑动窗口 (词元)"),
    "max_context": ("max context (tokens)", "最大上下文 (词元)"),
    # chip table, trailing text
    "memory_type": ("memory type", "显存类型"), "scaleup_name": ("scale-up link", "纵向扩展互联"),
    "scaleup_topology": ("scale-up topology", "纵向扩展拓扑"),
    "architecture": ("architecture", "架构"), "process_node": ("process node", "制程"),
    "lowest_confidence": ("lowest confidence", "最低可信度"),
    "oldest_source_published": ("oldest source", "最早来源日期"),
    "availability": ("availability", "供应情况"),
}


def lang() -> str:
    """The language in force: the sidebar switch, else ``?lang=``, else English."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return chosen if chosen in LANGUAGES else "en"


def t(key: str, **values) -> str:
    """The string ``key`` in the current language, with ``values`` filled in."""
    text = STRINGS[key][lang() == "zh"]
    return text.format(**values) if values else text


def quantity(stem: str, unit: str) -> str:
    """A quantity's label with its unit: "memory (GiB)" / "显存容量 (GiB)"."""
    return f"{QUANTITIES[stem][lang() == 'zh']} ({unit})"


def column(name: str) -> str:
    """A table column's label in the current language (unknown names are kept)."""
    return COLUMNS[name][lang() == "zh"] if name in COLUMNS else name


def chip_columns(units: dict[str, str] | None = None) -> dict[str, str]:
    """Labels of :func:`calc.tables.chip_frame`'s columns for ``units``: "memory_gib" ->
    "memory (GiB)", text columns translated."""
    from calc.tables import CHIP_QUANTITIES, chip_columns as names, column_name

    units = units or {}
    labels = {name: column(name) for name in names(units)}
    for stem, (default, _) in CHIP_QUANTITIES.items():
        unit = units.get(stem, default)
        labels[column_name(stem, unit)] = quantity(stem, unit)
    return labels


# --- Size and Cost pages ---------------------------------------------------------------------
STRINGS |= {
    "page.size": ("Size", "集群规模"), "page.cost": ("Cost", "成本"),
    "size.title": ("Size a cluster", "集群规模测算"),
    "size.caption": ("The cheapest layout found on every chip (and pair of chips, prefill + "
                     "decode) for this traffic within the latency limits, ranked by blended "
                     "cost per million tokens. Indicative prices, not quotes.",
                     "在延迟限制内满足该流量时,每种芯片(以及预填充 + 解码的芯片组合)上找到的最便宜"
                     "布局,按每百万词元综合成本排序。价格仅供参考,非报价。"),
    "size.model": ("Model", "模型"),
    "size.traffic_unit": ("Average traffic in", "平均流量单位"),
    "size.traffic": ("Average traffic ({unit})", "平均流量 ({unit})"),
    "size.traffic_help": ("Tokens/day count prompt and answer tokens together.",
                          "每日词元数包含提示与回答词元。"),
    "size.in_tokens": ("Input tokens per request", "每请求输入词元"),
    "size.out_tokens": ("Output tokens per request", "每请求输出词元"),
    "size.ttft": ("TTFT limit (ms)", "首词元时间上限 (ms)"),
    "size.no_limit": ("no limit", "不限"),
    "size.speed": ("Answer speed as", "回答速度表示为"),
    "size.per_user_short": ("tokens/s per user", "每用户词元/秒"),
    "size.tpot": ("TPOT limit (ms)", "每输出词元时间上限 (ms)"),
    "size.per_user": ("Tokens/s per user (at least)", "每用户词元/秒(至少)"),
    "size.more": ("Peak, spares, precisions and chip filters",
                  "峰值、备用、精度与芯片筛选"),
    "size.peak": ("Peak ÷ average (×)", "峰均比 (×)"),
    "size.headroom": ("Headroom (%)", "余量 (%)"),
    "size.spare": ("Spare replicas", "备用副本数"),
    "size.precisions_help": ("4-bit formats cost accuracy on some models: opt in.",
                             "4 位格式会降低部分模型的精度,需主动选择。"),
    "size.chips": ("Only these chips (comma separated; empty: all)",
                   "仅限这些芯片(逗号分隔;空白为全部)"),
    "size.chips_help": ("Ids or aliases, e.g. H200, H20, 910C", "ID 或别名,例如 H200, H20, 910C"),
    "size.estimates": ("Allow chips whose figures are estimates", "允许使用估计数据的芯片"),
    "size.disaggregated": ("Also try separate prefill and decode pools", "同时尝试预填充与解码分离部署"),
    "size.disaggregated_help": ("Prefill and decode on separate replicas, of the same chip or of "
                                "two different chips; the KV cache crosses the scale-out network.",
                                "预填充与解码在不同副本上运行,可为同一芯片或两种芯片;KV 缓存经横向网络传输。"),
    "size.term": ("Rental term", "租期"),
    "size.prices": ("Your own prices (CHIP=AMOUNT; …)", "自定义价格 (芯片=金额; …)"),
    "size.prices_help": ("e.g. metax-c600=150000 CNY; H100=2.5 USD/hour — a purchase price "
                         "when owning, a rate per chip-hour when renting.",
                         "例如 metax-c600=150000 CNY; H100=2.5 USD/hour — 自购填购买价,租用填每芯片小时费率。"),
    "size.session_only": ("Your own prices and chips stay in this browser session: a shared "
                          "link carries the form, not them.",
                          "自定义价格与芯片仅保存在本次浏览器会话中:分享的链接只包含表单设置,不含它们。"),
    "size.bands": ("P10–P90 bands ({samples} samples)", "P10–P90 区间 ({samples} 次抽样)"),
    "size.rate": ("Exchange rate {rate:g} CNY/USD ({source}).", "汇率 {rate:g} CNY/USD ({source})。"),
    "size.best": ("Cheapest option", "最便宜方案"),
    "size.best_cost": ("Blended cost", "综合成本"),
    "size.best_chips": ("Chips × layout", "芯片数 × 布局"),
    "size.table_note": ("Costs at the utilisation the traffic gives (average ÷ capacity bought); "
                        "empty cost: no price or power in the catalog (add your own price). "
                        "binding: the resource that limits each replica.",
                        "成本按流量给出的利用率(平均流量 ÷ 购买容量)计算;成本为空:目录中无价格或功耗"
                        "(可自填价格)。瓶颈:限制每个副本的资源。"),
    "size.pools": ("Pools of an option (prefill and decode apart)", "方案的资源池(预填充与解码分开)"),
    "size.option": ("Option", "方案"),
    "size.math": ("Show the math (first option)", "显示计算过程(第一方案)"),
    "size.math_option": ("**{chip}**, {layout}, {precision}:", "**{chip}**,{layout},{precision}:"),
    "size.math_peak": ("peak = average × peak-to-average × (1 + headroom) = {avg} × {factor} × "
                       "(1 + {headroom}) requests/s",
                       "峰值 = 平均 × 峰均比 × (1 + 余量) = {avg} × {factor} × (1 + {headroom}) 请求/秒"),
    "size.math_replicas": ("{role}: replicas = ⌈peak ÷ capacity per replica⌉ + spare = "
                           "⌈{peak} ÷ {capacity} requests/s⌉ + {spare} = {replicas}; chips = "
                           "{replicas} × {per_replica} = {chips}",
                           "{role}:副本数 = ⌈峰值 ÷ 单副本容量⌉ + 备用 = ⌈{peak} ÷ {capacity} 请求/秒⌉ + "
                           "{spare} = {replicas};芯片数 = {replicas} × {per_replica} = {chips}"),
    "size.math_cost": ("cost per Mtok = cost per hour ÷ tokens per hour × 10⁶ = {hourly} {c}/h ÷ "
                       "{tokens} tokens/h × 10⁶ = {cost} {c}/Mtok",
                       "每百万词元成本 = 每小时成本 ÷ 每小时词元 × 10⁶ = {hourly} {c}/h ÷ {tokens} 词元/h "
                       "× 10⁶ = {cost} {c}/Mtok"),
    "size.math_split_time": ("Shared cost split by the time each phase occupies the chips: "
                             "prefill {share} (input tokens), decode the rest (output tokens).",
                             "共享成本按各阶段占用芯片的时间分摊:预填充 {share}(输入词元),其余为解码"
                             "(输出词元)。"),
    "size.math_split_pools": ("Each pool charges its own tokens: prefill → input, decode → "
                              "output.", "各资源池承担自身词元:预填充 → 输入,解码 → 输出。"),
    "size.math_split": ("input: {inh} {c}/h ÷ {intok} tokens/h × 10⁶ = {incost} {c}/Mtok; "
                        "output: {outh} {c}/h ÷ {outtok} tokens/h × 10⁶ = {outcost} {c}/Mtok",
                        "输入:{inh} {c}/h ÷ {intok} 词元/h × 10⁶ = {incost} {c}/Mtok;"
                        "输出:{outh} {c}/h ÷ {outtok} 词元/h × 10⁶ = {outcost} {c}/Mtok"),
    "size.math_unpriced": ("The first option has no price, so no cost.", "第一方案无价格,故无成本。"),
    "size.pareto": ("Throughput per chip vs speed per user", "每芯片吞吐 vs 每用户速度"),
    "size.pareto_chips": ("Chips on the chart", "图中芯片"),
    "size.per_user_axis": ("tokens/s per user", "每用户词元/秒"),
    "size.per_chip_axis": ("output tokens/s per chip", "每芯片输出词元/秒"),
    "size.pareto_note": ("Each chip's frontier over layouts and batch sizes (memory must hold the "
                         "batch; the latency limits are not applied here).",
                         "各芯片在不同布局与批大小下的前沿(显存须容纳批次;此处不施加延迟限制)。"),
    "size.infeasible": ("Chips with no option ({n}) and why", "无可行方案的芯片 ({n}) 及原因"),
    "size.excluded": ("{n} more left out by the filters: {why}.", "另有 {n} 个被筛选条件排除:{why}。"),
    # cost page
    "cost.title": ("Cost of ownership and rental", "拥有与租用成本"),
    "cost.caption": ("Every cost setting in force, with its source; change one to see its "
                     "effect. Money is converted at the dated exchange rate.",
                     "当前生效的每项成本设置及其来源;修改任一项即可看到影响。金额按注明日期的汇率换算。"),
    "cost.settings": ("Cost settings", "成本设置"),
    "cost.per_chip": ("Owned vs rented, per chip-hour", "自购 vs 租用(每芯片小时)"),
    "cost.capital": ("capital", "资本"), "cost.hosting": ("hosting and maintenance", "托管与维护"),
    "cost.power": ("power", "电力"), "cost.rental": ("rental", "租金"),
    "cost.workload": ("Workload for the sensitivity and the reverse questions",
                      "用于敏感性分析与反向问题的负载"),
    "cost.tornado": ("What moves the cost most", "对成本影响最大的因素"),
    "cost.no_priced": ("No option with a price: add your own on the Size page.",
                       "没有带价格的方案:请在集群规模页自填价格。"),
    "cost.top": ("Cheapest: {chip} ({layout})", "最便宜:{chip} ({layout})"),
    "cost.band": ("P10–P90", "P10–P90"),
    "cost.tornado_axis": ("blended cost ({c}/Mtok)", "综合成本 ({c}/Mtok)"),
    "cost.tornado_note": ("Each bar: the cost with one input at its low and high end (P10–P90 of "
                          "{samples} samples for chip figures, model error and price; the "
                          "source's range for a cost setting). Dashed: the point estimate.",
                          "每条:单一输入取低端与高端时的成本(芯片参数、模型误差与价格为 {samples} 次抽样"
                          "的 P10–P90;成本设置为来源给出的范围)。虚线:点估计。"),
    "cost.reverse": ("What a budget buys", "预算能支撑多少流量"),
    "cost.question": ("Question", "问题"),
    "cost.q_capex": ("capex budget (owned)", "资本支出预算(自购)"),
    "cost.q_monthly": ("monthly budget", "月度预算"),
    "cost.q_power": ("facility power (with PUE)", "设施功率(含 PUE)"),
    "cost.q_target_cost": ("cost target per Mtok", "每百万词元成本目标"),
    "cost.amount": ("Amount with its unit", "金额或功率(带单位)"),
    "cost.amount_help": ("e.g. 10 MUSD, 70 MCNY, 500 kUSD, 5 MW, 800 kW, 0.5 USD/Mtok",
                         "例如 10 MUSD、70 MCNY、500 kUSD、5 MW、800 kW、0.5 USD/Mtok"),
    "cost.target_kind": ("Target applies to", "目标适用于"),
    "cost.reverse_note": ("Average traffic each option sustains within the latency limits "
                          "(after peak factor, headroom and spares); a cost target is held "
                          "against the workload's own traffic.",
                          "各方案在延迟限制内可支撑的平均流量(已计入峰均比、余量与备用);成本目标按负载自身流量判断。"),
    "cost.chip_figures": ("chip figures", "芯片参数"), "cost.model_error": ("model error", "模型误差"),
    "cost.price": ("price", "价格"),
    "cost.unknown": ("Need unknown (no price or power): {chips}", "需求未知(无价格或功耗):{chips}"),
}

COLUMNS |= {
    "rank": ("rank", "排名"), "disaggregated": ("prefill/decode apart", "预填充/解码分离"),
    "precision": ("precision", "精度"),
    "replicas": ("replicas", "副本数"), "servers": ("servers", "服务器数"),
    "estimated": ("uses estimates", "含估计值"),
    "role": ("role", "角色"), "batch": ("batch per replica", "每副本批大小"), "price": ("price", "价格"),
    "why": ("why", "原因"), "setting": ("setting", "设置"),
    "price_kind": ("price kind", "价格类型"), "price_as_published": ("price as published", "公布价格"),
    "adjustments": ("adjustments", "调整"), "all_in_kw": ("all-in power (kW)", "全口径功率 (kW)"),
    "power_source": ("power source", "功率来源"), "price_url": ("price source", "价格来源"),
    "requests_per_s": ("requests/s", "请求/秒"), "Mtok_per_day": ("Mtok/day", "百万词元/天"),
    "TTFT_ms": ("TTFT (ms)", "首词元时间 (ms)"), "TPOT_ms": ("TPOT (ms)", "每词元时间 (ms)"),
    "meets": ("meets target", "达到目标"), "margin": ("margin", "余量"),
    "cost_per_hour": ("cost per hour", "每小时成本"),
    "P10-P90_requests_per_s": ("requests/s P10–P90", "请求/秒 P10–P90"),
    "probability": ("probability of meeting it", "达标概率"),
}

SETTINGS = {  # calc.cost.CostSettings field -> (English, Chinese)
    "cny_per_usd": ("exchange rate", "汇率"), "years": ("amortisation", "折旧年限"),
    "cost_of_capital": ("cost of capital", "资本成本"), "residual_value": ("residual value", "残值"),
    "hosting_per_year": ("hosting and maintenance", "托管与维护"), "pue": ("PUE", "PUE"),
    "electricity_per_kwh": ("electricity", "电价"), "vat": ("VAT", "增值税"),
    "import_tariff": ("import tariff", "进口关税"),
    "server_network_share": ("server and network share", "服务器与网络占比"),
    "network_share": ("network share", "网络占比"),
    "all_in_power_factor": ("all-in power factor", "全口径功率系数"),
}


def setting_label(name: str) -> str:
    """A cost setting's name in the current language."""
    return SETTINGS[name][lang() == "zh"]


def size_columns(currency: str) -> dict[str, str]:
    """Labels, with units, of :func:`calc.explain.option_frame`'s columns."""
    zh = lang() == "zh"
    money = {
        "cost_per_million_input_tokens": ("input", "输入"),
        "cost_per_million_output_tokens": ("output", "输出"),
        "cost_per_million_tokens": ("blended", "综合"),
        "cost_p10": ("blended P10", "综合 P10"), "cost_p90": ("blended P90", "综合 P90")}
    labels = {name: f"{pair[zh]} ({currency}/Mtok)" for name, pair in money.items()}
    units = {
        "ttft_ms": ("TTFT", "首词元时间", "ms"), "tpot_ms": ("TPOT", "每词元时间", "ms"),
        "tokens_per_s_per_user": ("per user", "每用户", "tokens/s"),
        "output_tokens_per_s_per_chip": ("output per chip", "每芯片输出", "tokens/s"),
        "utilisation_pct": ("utilisation", "利用率", "%"), "kw": ("all-in power", "全口径功率", "kW"),
        "probability_meets_limits_pct": ("meets limits", "满足限制概率", "%"),
        "cost_per_month": ("per month", "每月", f"{currency}/month")}
    labels |= {name: f"{en_zh[zh]} ({en_zh[2]})" for name, en_zh in units.items()}
    return {name: labels.get(name, column(name)) for name in (
        "rank", "chip", "disaggregated", "chips", "layout", "precision", "replicas", "servers",
        *units, "binding", "estimated", *money)}


def tornado_labels() -> dict[str, str]:
    """Names of the inputs of :attr:`calc.sizing.Sizing.tornado` in the current language."""
    labels = {name.replace("_", " "): setting_label(name) for name in SETTINGS}
    return labels | {x: t(f"cost.{x.replace(' ', '_')}")
                     for x in ("chip figures", "model error", "price")}


def cost_columns(columns, currency: str) -> dict[str, str]:
    """Labels, with units, of :func:`calc.chip_cost.cost_frame`'s columns in ``currency``."""
    labels = {f"{part}_{currency}_per_hour": f"{t(f'cost.{part}')} ({currency}/h)"
              for part in ("capital", "hosting", "power", "rental")}
    labels |= {f"{currency}_per_chip_hour": t("compare.cost_axis", currency=currency),
               f"price_{currency}": t("compare.price_axis", currency=currency)}
    return {name: labels.get(name, column(name)) for name in columns}
# CLAIMS / ACCURACY / PREDICT pages (kept apart from the blocks above to ease merges)
STRINGS.update({
    "page.claims": ("Claims", "厂商宣称"), "page.accuracy": ("Accuracy", "预测准确度"),
    # claims page
    "claims.title": ("Vendor and press claims, checked", "厂商与媒体宣称核查"),
    "claims.caption": ("Each claim from the catalog against the model's ratio on the workload "
                       "shown, with its P10–P90 band. consistent: the claim lies in the band "
                       "(5% slack for rounding); optimistic or pessimistic: outside it, "
                       "flattering or underselling the chip.",
                       "目录中的每条宣称与模型在所示负载下的比值及其 P10–P90 区间对照。"
                       "一致:宣称落在区间内(含 5% 舍入余量);乐观或保守:落在区间外,"
                       "高估或低估了该芯片。"),
    "claims.verdict": ("Verdict", "结论"), "claims.count": ("Claims shown", "显示的宣称数"),
    "claims.ratio_note": ("Ratios are chip ÷ baseline (dimensionless); for cost and power a "
                          "lower ratio flatters the chip. The url column links each source.",
                          "比值为芯片 ÷ 基准(无量纲);成本与功耗比值越低越有利于该芯片。"
                          "网址列链接到每个来源。"),
    "verdict.consistent": ("consistent", "一致"), "verdict.optimistic": ("optimistic", "乐观"),
    "verdict.pessimistic": ("pessimistic", "保守"),
    "verdict.cannot check": ("cannot check", "无法核查"),
    # accuracy page
    "accuracy.title": ("How good are the predictions?", "预测有多准?"),
    "accuracy.caption": ("The measured cases shipped in validation/public.yaml (MLPerf, "
                         "InferenceMAX, vendor and project benchmarks), predicted from the "
                         "catalog. In sample: the fitted profiles predict the cases they were "
                         "fitted on. Cross-validated: each case predicted by profiles fitted "
                         "without its source — the error to expect on a new case.",
                         "validation/public.yaml 中的实测案例(MLPerf、InferenceMAX、厂商与"
                         "项目基准),由目录数据预测。样本内:拟合的配置预测其拟合所用案例。"
                         "交叉验证:每个案例由不含其来源的配置预测——即新案例的预期误差。"),
    "accuracy.stack": ("Serving stack", "推理框架"),
    "accuracy.none": ("No measured case matches these filters; remove one.",
                      "没有实测案例符合这些筛选条件,请去掉一个。"),
    "accuracy.metrics": ("Measured metrics", "实测指标"),
    "accuracy.count": ("{metrics} in {cases} cases", "{cases} 个案例中的 {metrics} 项"),
    "accuracy.in_sample": ("MAPE in sample", "样本内 MAPE"),
    "accuracy.cross_validated": ("MAPE cross-validated", "交叉验证 MAPE"),
    "accuracy.by": ("MAPE per", "MAPE 分组"),
    "accuracy.by_metric_class": ("metric class", "指标类别"),
    "accuracy.by_vendor": ("vendor", "厂商"), "accuracy.by_stack": ("serving stack", "推理框架"),
    "class.throughput": ("throughput", "吞吐"), "class.ttft": ("TTFT", "首词元时延 (TTFT)"),
    "class.tpot": ("TPOT", "每词元时延 (TPOT)"),
    "accuracy.in_sample_points": ("predicted in sample", "样本内预测"),
    "accuracy.cv_points": ("predicted cross-validated", "交叉验证预测"),
    "accuracy.measured": ("measured (tokens/s or ms, per metric)", "实测值(tokens/s 或 ms,按指标)"),
    "accuracy.predicted": ("predicted (same unit)", "预测值(同一单位)"),
    "accuracy.chart_note": ("Log scales; points on the dashed line y = x are exact. Error = "
                            "(predicted − measured) ÷ measured.",
                            "对数坐标;落在虚线 y = x 上的点即完全准确。误差 = (预测 − 实测) ÷ 实测。"),
    # predict page
    "predict.title": ("Serving prediction", "推理性能预测"), "predict.model": ("Model", "模型"),
    "predict.chip": ("Chip", "芯片"), "predict.chips": ("Chips", "芯片数"),
    "predict.stack": ("Serving stack", "推理框架"), "predict.scenario": ("Scenario", "场景"),
    "scenario.offline": ("offline (throughput)", "离线(吞吐)"),
    "scenario.server": ("server (within limits)", "在线(满足时延限制)"),
    "scenario.concurrency": ("fixed concurrency", "固定并发"),
    "scenario.decode": ("decode only", "仅解码"), "scenario.prefill": ("prefill only", "仅预填充"),
    "predict.input": ("Input tokens", "输入词元数"), "predict.output": ("Output tokens", "输出词元数"),
    "predict.concurrency": ("Concurrent requests", "并发请求数"),
    "predict.concurrency_help": ("Used by the fixed-concurrency and decode scenarios.",
                                 "用于固定并发与仅解码场景。"),
    "predict.context": ("Context tokens", "上下文词元数"),
    "predict.context_help": ("Tokens already in each sequence: used by the decode scenario and "
                             "the memory plan.", "每个序列已有的词元数:用于仅解码场景与显存规划。"),
    "predict.layout_help": ("Parallel degree; 0 lets the calculator pick the best layout.",
                            "并行度;0 表示由计算器选择最佳布局。"),
    "predict.disaggregated": ("Disaggregated prefill/decode", "预填充/解码分离"),
    "predict.disagg_help": ("Prefill and decode on separate replicas, best split (offline, "
                            "server and fixed-concurrency scenarios).",
                            "预填充与解码在不同副本上运行,取最佳划分(离线、在线与固定并发场景)。"),
    "predict.ttft_limit": ("TTFT limit (ms, 0 = none)", "首词元时延上限 (ms,0 = 不限)"),
    "predict.tpot_limit": ("TPOT limit (ms, 0 = none)", "每词元时延上限 (ms,0 = 不限)"),
    "predict.limit_help": ("Latency the server scenario must meet (p99 as benchmarks report).",
                           "在线场景必须满足的时延(按基准测试报告的 p99)。"),
    "predict.bands": ("Show uncertainty (P10/P50/P90)", "显示不确定性 (P10/P50/P90)"),
    "predict.bands_help": ("{samples} Monte Carlo samples of spec ranges and the model's "
                           "cross-validated error.", "{samples} 次蒙特卡洛抽样:规格范围与模型的交叉验证误差。"),
    "predict.output_system": ("Output tokens/s (system)", "输出吞吐 (系统, tokens/s)"),
    "predict.per_user": ("Output tokens/s per user", "每用户输出吞吐 (tokens/s)"),
    "predict.bands_title": ("How sure: P10 / P50 / P90", "置信区间:P10 / P50 / P90"),
    "predict.metric": ("metric", "指标"),
    "band.output_tokens_per_s": ("output tokens/s (system)", "输出吞吐 (系统)"),
    "band.input_tokens_per_s": ("input tokens/s (system)", "输入吞吐 (系统)"),
    "band.ttft_ms": ("TTFT", "首词元时延 (TTFT)"), "band.tpot_ms": ("TPOT", "每词元时延 (TPOT)"),
    "predict.bands_note": ("Eight in ten outcomes fall between P10 and P90.",
                           "十次中有八次结果落在 P10 与 P90 之间。"),
    "predict.cli": ("The same prediction from the command line (after $) and what it prints, "
                    "in English:", "在命令行中做同一预测($ 之后的命令)及其输出(英文):"),
    "predict.memory_title": ("Memory plan per chip ({layout}, {context} tokens of context)",
                             "每芯片显存规划({layout},上下文 {context} 词元)"),
    "predict.memory_item": ("item", "项目"), "predict.memory_value": ("value", "数值"),
    "memory.weights": ("weights", "权重"), "memory.workspace": ("workspace", "工作区"),
    "memory.usable": ("usable memory", "可用显存"),
    "memory.kv": ("KV cache of one sequence", "单序列 KV 缓存"),
    "memory.sequences": ("sequences that fit per replica", "每副本可容纳序列数"),
    "memory.longest": ("longest single sequence", "最长单序列"),
    "predict.sequences": ("sequences", "个序列"),
    "predict.curve_title": ("Latency–throughput over concurrency", "不同并发下的时延–吞吐曲线"),
    "predict.curve_x": ("output tokens/s per user", "每用户输出吞吐 (tokens/s)"),
    "predict.curve_y": ("output tokens/s per chip", "每芯片输出吞吐 (tokens/s)"),
    "predict.curve_none": ("These chips cannot serve the model at any concurrency tried.",
                           "这些芯片在所尝试的任何并发下都无法运行该模型。"),
    "predict.curve_note": ("One point per concurrency (1 to 4,096 requests): to the right each "
                           "user is served faster, higher up each chip does more work.",
                           "每个点对应一种并发(1 至 4,096 个请求):越靠右每个用户越快,"
                           "越靠上每块芯片产出越多。"),
})
COLUMNS.update({
    "baseline": ("baseline", "基准"), "kind": ("kind", "类型"),
    "claimed_ratio": ("claimed ratio", "宣称比值"), "model_ratio": ("model ratio", "模型比值"),
    "p10": ("P10", "P10"), "p90": ("P90", "P90"), "verdict": ("verdict", "结论"),
    "workload": ("compared on", "对比负载"), "reason": ("why not checked / caveat", "未核查原因 / 说明"),
    "case": ("case", "案例"), "metric": ("metric", "指标"), "unit": ("unit", "单位"),
    "stack": ("stack", "推理框架"), "measured": ("measured", "实测"),
    "predicted": ("predicted, in sample", "预测(样本内)"),
    "error": ("error, in sample", "误差(样本内)"),
    "cv_predicted": ("predicted, cross-validated", "预测(交叉验证)"),
    "cv_error": ("error, cross-validated", "误差(交叉验证)"),
    "metric_class": ("metric class", "指标类别"), "metrics": ("metrics", "指标数"),
    "mape_in_sample": ("MAPE in sample (%)", "样本内 MAPE (%)"),
    "mape_cross_validated": ("MAPE cross-validated (%)", "交叉验证 MAPE (%)"),
    "layout": ("layout", "并行布局"), "binding": ("binding resource", "瓶颈资源"),
})
# COMPARE: tokens/s per MW tab
STRINGS.update({
    "compare.mw": ("Tokens/s per MW", "每兆瓦词元/秒"),
    "compare.mw_chips": ("Chips per system", "每系统芯片数"),
    "compare.mw_chips_help": ("Each chip is predicted on a system of this many chips, in the "
                              "best layout of them (8: one server).",
                              "每种芯片按该数量芯片组成的系统预测,取其中最佳布局(8:一台服务器)。"),
    "compare.mw_axis": ("output tokens/s per MW of all-in power", "每兆瓦全口径功率的输出词元/秒"),
    "compare.mw_note": ("Power is the all-in kW per chip that the cost model uses: the chip with "
                        "its share of host, network and cooling, before PUE (its source in the "
                        "table). Tokens/s per MW = predicted output tokens/s per chip ÷ all-in "
                        "kW × 1,000. Hatched: the prediction uses estimated figures.",
                        "功率为成本模型所用的每芯片全口径 kW:芯片及其分摊的主机、网络与散热功率,"
                        "未计 PUE(来源见表)。每兆瓦词元/秒 = 预测的每芯片输出词元/秒 ÷ 全口径 kW × "
                        "1,000。斜线填充:预测使用了估计值。"),
    "compare.mw_missing": ("{n} chip(s) not plotted: no prediction or no power figure; the "
                           "table below says why.",
                           "{n} 种芯片未绘制:无法预测或无功率数据;原因见下表。"),
    "compare.mw_none": ("None of these chips can be predicted with a power figure for this "
                        "workload; the table says why.",
                        "在该负载下,这些芯片均无法在有功率数据的情况下预测;原因见表格。"),
})
COLUMNS.update({
    "output_tokens_per_s_per_chip": ("output tokens/s per chip", "每芯片输出词元/秒"),
    "output_tokens_per_s_per_mw": ("output tokens/s per MW", "每兆瓦输出词元/秒"),
    "missing": ("why not plotted", "未绘制原因"),
})
