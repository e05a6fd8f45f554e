"""The message catalogue: every word ruralsim shows, in English and Chinese (pure data).

- :data:`MESSAGES`: ``key -> (English, Chinese)``, with ``{name}`` fields filled by
  :func:`experiments.i18n.tr`; keys are grouped by where they are shown (``cli.``, ``glossary.``,
  ``compare.``, ``fig.``, ``app.`` ...).
- :data:`PARAMETER_NAMES`: ``dotted path -> (plain English, Chinese)`` for the policy levers and
  the settings reports name (a test checks that every lever of ``Params`` has one).
- :data:`SCENARIOS`: ``scenario -> (Chinese title, Chinese summary)`` for the shipped scenarios.

Outputs (indicators) are named in :mod:`model.indicators`, next to the model. Chinese policy terms
are the official ones: 过渡期, 防止返贫动态监测和帮扶机制, 三个高于, 规模性返贫, 国家乡村振兴重点帮扶县,
万企兴万村, 低保, 两不愁三保障, 衔接资金.
"""

from __future__ import annotations

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

PARAMETER_NAMES: dict[str, tuple[str, str]] = {
    "policy.monitoring.enabled": ("Dynamic monitoring mechanism in operation", "防止返贫动态监测和帮扶机制运行"),
    "policy.monitoring.coverage": ("Share of at-risk households the screening can reach", "监测排查覆盖率"),
    "policy.monitoring.threshold_yuan": ("Monitoring threshold (income per person per year)",
                                         "防止返贫监测范围（人均年收入标准）"),
    "policy.monitoring.responsive_assistance": ("Households found by the monitoring receive help",
                                                "监测对象获得针对性帮扶"),
    "policy.assistance.industrial.intensity": ("Industrial assistance (relative to 2020)", "产业帮扶力度（2020年=1）"),
    "policy.assistance.employment.intensity": ("Employment assistance and public-welfare posts (relative to 2020)",
                                               "就业帮扶和公益性岗位力度（2020年=1）"),
    "policy.assistance.social.intensity": ("Social-security assistance (relative to 2020)",
                                           "社会保障帮扶力度（2020年=1）"),
    "policy.transition_subsidy.intensity": ("Transition subsidies of registered households (relative to 2020)",
                                            "脱贫户过渡期补贴力度（2020年=1）"),
    "policy.medical.inclusive_rate": ("Medical reimbursement rate for everybody", "普惠性医疗报销比例"),
    "policy.medical.preferential_rate": ("Medical reimbursement rate for registered households",
                                         "脱贫户倾斜性医疗报销比例"),
    "policy.enterprise_support.intensity": ("Policy support for rural enterprises (relative to 2020)",
                                            "农村企业政策扶持力度（2020年=1）"),
    "policy.campaign.intensity": ("Enterprise-village pairing campaign (relative to 2020)",
                                  "“万企兴万村”行动力度（2020年=1）"),
    "policy.key_county_extra": ("Extra funds for key counties (share of their allocation; 0 = the usual tilt)",
                                "国家乡村振兴重点帮扶县额外资金（占其分配额比例；0=常规倾斜）"),
    "policy.social_protection.dibao_line_yuan": ("Average rural dibao line at year-end (yuan per person per year)",
                                                 "农村低保平均标准（年末，元/人/年）"),
    "policy.social_protection.pension_minimum_month_yuan": ("Central minimum of the residents' basic pension "
                                                            "(yuan per person per month)",
                                                            "城乡居民基础养老金最低标准（元/人/月）"),
    "policy.social_protection.standard_growth_year": ("Growth of the dibao line and pension minimum after the data",
                                                      "数据期后低保标准和基础养老金的年增长率"),
    "policy.social_protection.dibao_line_scale": ("Dibao line relative to the national average",
                                                  "低保标准相对全国平均水平的倍数"),
    "policy.social_protection.public_transfers": ("Pensions, dibao, tekun and subsidies paid (1 = the rules)",
                                                  "养老金、低保、特困供养和补贴发放水平（1=按规定）"),
    "policy.rural_construction.share": ("Share of the connection fund for rural construction",
                                        "衔接资金用于乡村建设的比例"),
    "policy.rural_construction.intensity": ("Rural construction funds (1 = the fund's share)",
                                            "乡村建设资金（1=衔接资金中的份额）"),
    "policy.monitoring.data_sharing": ("Data sharing of the monitoring platform (1 = full)",
                                       "防返贫监测平台部门数据共享程度（1=充分共享）"),
    "policy.monitoring.targeted": ("Assistance decided by monitoring category (1) or by labour alone (0)",
                                   "按监测对象类别精准帮扶（1）或仅按劳动能力帮扶（0）"),
    "policy.labour_export_share": ("Organised labour export after 2020 (share a year)",
                                   "2020年后有组织劳务输出（每年比例）"),
    "macro.remittance_index": ("Remittances and private transfers (1 = trend)", "外出成员汇款等私人转移（1=趋势）"),
    "macro.migrant_wage_month_yuan": ("Average monthly income of migrant workers", "农民工月均收入"),
    "policy.central_fund": ("Central connection fund (relative to 2020)",
                            "中央财政衔接推进乡村振兴补助资金（2020年=1）"),
    "policy.dibao_for_all_eligible": ("Dibao open to every household below the dibao line",
                                      "收入低于低保标准的家庭均可纳入低保"),
    "policy.tackling.registration": ("Poverty register kept (exit procedure, new registrations)",
                                     "建档立卡（退出程序与新识别）"),
    "policy.tackling.targeted_assistance": ("Intensive targeted assistance of the campaign", "脱贫攻坚精准帮扶力度"),
    "policy.tackling.relocation_share": ("Relocation from inhospitable areas (share of registered poor per year)",
                                         "易地扶贫搬迁（每年占建档立卡贫困户比例）"),
    "shocks.disaster.stress": ("Extra chance per month that each county is hit by a disaster",
                               "各县每月额外遭灾概率"),
    "shocks.illness.p_year": ("Chance of a costly illness per household and year", "每户每年发生大病的概率"),
    "macro.gdp_growth_real": ("Real GDP growth", "实际GDP增速"),
    "macro.inflation": ("Consumer price inflation", "居民消费价格涨幅"),
    "macro.urban_income_growth": ("Urban income growth", "城镇居民收入增速"),
    "macro.price_level": ("Price of the main characteristic industry (1 = normal)", "特色主导产业产品价格（1=正常）"),
    "macro.migrant_demand": ("Demand for migrant workers (1 = normal)", "外出务工需求（1=正常）"),
    "macro.illness_multiplier": ("Frequency of costly illness (1 = normal)", "大病发生频率（1=正常）"),
    "history.poverty_line_yuan": ("Poverty line in force before 2021", "2021年前现行贫困标准"),
    "shocks.illness.cost_mean_yuan": ("Mean cost of an illness episode", "大病平均费用"),
    "prices.log_price_sd_month": ("Price volatility of the county industry", "县域产业价格波动"),
    "shocks.disaster.p_county_year": ("Chance a county is hit by a disaster in a year", "县年度遭灾概率"),
    "labour.p_migrant_loss_month": ("Monthly migrant job loss", "外出务工者月度失业概率"),
    "income.operating_noise_sd": ("Noise in farm income", "经营收入随机波动"),
    "enterprises.margin_mean": ("Mean operating margin of rural enterprises", "农村企业平均经营利润率"),
    "withdrawal_year": ("Year targeted assistance starts to be withdrawn", "开始撤出精准帮扶的年份"),
    "taper_years": ("Years over which it is tapered to zero", "逐步撤出至零所用年数"),
    "assistance_level": ("Size of targeted assistance before withdrawal", "撤出前精准帮扶力度"),
    "population.n_households": ("Simulated households", "模拟农户数"),
    "population.n_counties": ("Simulated counties", "模拟县数"),
    "sim.n_years": ("Simulated years", "模拟年数"),
    "sim.start_year": ("First simulated year", "起始年份"),
    "metrics.large_scale.county_threshold": ("Large-scale relapse threshold (county relapse rate)",
                                             "规模性返贫阈值（县级返贫率）"),
}

SCENARIOS: dict[str, tuple[str, str]] = {
    "transition": ("过渡期官方路径",
                   "官方路径。五年过渡期（2021—2025年）内保持主要帮扶政策总体稳定、逐项优化而不撤出：防止返贫动态监测和帮扶"
                   "机制全程运行，产业、就业和社会保障帮扶保持2020年力度，脱贫户过渡期补贴自2024年起适度下调，脱贫户倾斜性医疗"
                   "报销比例保持到2025年。2025年后精准帮扶转为常态化：产业和就业帮扶稳定在2020年水平的80%—90%，倾斜性医疗报销"
                   "比例部分向普惠比例靠拢，监测继续运行，社会保障兜底完整保留。"),
    "continuation": ("政策全面延续",
                     "不作任何调整的对照路径。2020年（脱贫攻坚最后一年）的帮扶政策在整个模拟期内全力保持：产业、就业、社会保障"
                     "帮扶，过渡期补贴，企业扶持和“万企兴万村”行动均保持2020年力度，脱贫户倾斜性医疗报销比例不下调，监测持续运行。"
                     "它是衡量其他路径成本和保护效果的标尺。"),
    "gradual_phaseout": ("逐步退出",
                         "先保持、后退坡。五年过渡期完全按官方路径运行，2026年起对脱贫户的精准帮扶分三步等量退出，2028年结束："
                         "产业和就业帮扶2026年降至三分之二、2027年三分之一、2028年为零，过渡期补贴同步退出，倾斜性医疗报销比例逐步"
                         "降至人人享有的55%。防止返贫动态监测和帮扶机制、社会保障兜底（低保、医疗救助、养老金）和企业扶持保持不变。"
                         "它回答：过渡期后能否足够缓慢地退出帮扶，使农户和县域平稳适应而不出现返贫潮？"),
    "abrupt_withdrawal": ("急刹车式退出",
                          "“急刹车”——过渡期设计所要避免的路径。2021年按官方路径运行，2022年1月1日起精准帮扶全部停止：产业、就业和"
                          "社会保障帮扶、脱贫户过渡期补贴和防止返贫动态监测机制一并结束，倾斜性医疗报销比例降至人人享有的普惠比例"
                          "（55%）。企业扶持、低保兜底和养老金照常。依靠帮扶的农户遭遇疾病、灾害和失业时只剩一般性保障。"),
    "early_phaseout": ("过渡期中途退坡",
                       "在过渡期中途退坡。前两年按官方路径运行；2023年1月起对脱贫户的精准帮扶分三步等量退出，2025年结束，比逐步"
                       "退出路径早三年：产业和就业帮扶2023年降至三分之二、2024年三分之一、2025年起为零，过渡期补贴同步退出，倾斜性"
                       "医疗报销比例逐步降至55%。监测及其帮扶、社会保障兜底和企业扶持保持官方路径。它显示在过渡期结束前取消倾斜政策"
                       "的风险。"),
    "enterprise_campaign": ("加强“万企兴万村”",
                            "更强的“万企兴万村”行动。在官方路径基础上，自2021年起全省把农村企业政策扶持（贴息、补助、用地）和外来"
                            "企业与村结对行动都提高到2020年水平的1.5倍。更多企业进入、倒闭减少，带来更多本地就业岗位、更多溢价订单"
                            "农业，以及更多留给脱贫户的岗位。它考察就业和市场能否替代部分直接帮扶，以及代价几何。"),
    "inclusive_shift": ("由特惠转向普惠",
                        "由特惠转向普惠。不再为脱贫户单设帮扶政策，而是纳入适用于所有农户的普惠规则：自2024年起提高全民医疗报销"
                        "比例（55%升至60%，2026年起65%），同时下调脱贫户倾斜比例使二者在2026年统一；自2024年起收入低于低保标准的"
                        "家庭均可纳入低保；脱贫户过渡期补贴分三步退出。产业和就业帮扶、监测和企业扶持保持官方路径。它考察普遍的安全网"
                        "能否与倾斜政策同样有效。"),
    "key_county_focus": ("资金向重点帮扶县集中",
                         "资金向国家乡村振兴重点帮扶县集中。中央衔接资金总额与官方路径相同，但省里把重点帮扶县的资金分配权重翻倍："
                         "每个脱贫户的帮扶资金权重由其他县的1.5倍提高到3倍。重点县可以落实全部计划帮扶，包括提高生产率的乡村建设；"
                         "其他脱贫县所得减少，预算不足时可能要压缩帮扶。它考察把资金集中到贫困最深的地方是否比平均分配更能防止返贫。"),
    "monitoring_only": ("只保留监测帮扶",
                        "只在监测发现需要时给予帮扶。与急刹车路径相同，2022年1月1日起对脱贫户的普遍倾斜政策结束；不同的是防止返贫"
                        "动态监测和帮扶机制继续运行，村干部继续排查收入低于监测标准或遭遇突发困难的农户，识别出的农户获得社会保障方面"
                        "的针对性帮扶（低保应保尽保、医疗救助事后兜底、优先危房改造）。它考察过渡期的保护中有多少可由安全网加监测提供。"),
    "no_monitoring": ("不建立监测机制",
                      "有帮扶、无监测。官方路径的全部帮扶照常，但从未建立防止返贫动态监测机制：不排查低于监测标准的农户、没有农户"
                      "自主申报渠道，因而陷入困难的农户得不到针对性帮扶，突发困难也没有事后医疗救助；从未建档立卡的农户得不到任何精准"
                      "帮扶。它分离出监测机制本身的作用。"),
    "historical": ("历史情景（2017—2020年）",
                   "按历史实际运行，用于校准和验证。全省从2016年底状态出发（贫困地区收入8452元，4.5%的人口低于贫困线且全部建档"
                   "立卡），经历脱贫攻坚最后四年：建档立卡及12月退出程序、对贫困户的精准帮扶（产业项目、有组织劳务输出、低保兜底）"
                   "和易地扶贫搬迁，宏观环境按2017—2020年实际路径；2020年底建档立卡关闭，2021年起动态监测启动，各项政策取模型"
                   "默认值（2021年即官方过渡期路径的政策）。全程使用模型默认参数：“calibrated”加入拟合参数，“baseline”即校准后"
                   "的历史，是所有政策情景的起点。"),
    "calibrated": ("校准后的历史情景",
                   "“historical”情景，其自由参数已用差分进化法拟合2017—2020年样本内目标（ruralsim calibrate）。"),
    "baseline": ("统一基线（校准后的2017—2020年历史）",
                 "所有政策情景共同的基线：校准后的全省（“calibrated”，即带拟合参数的“historical”历史）从2016年底状态出发，"
                 "经历2017—2020年脱贫攻坚，2020年底建档立卡关闭。每个政策情景都继承它，只规定2021年1月起的政策：其分时政策"
                 "自2021年起生效，此前各年保持这段历史，因此同一种子下所有政策情景都从同一个模拟的2020年底全省出发（共同随机数），"
                 "结果从2021年起统计。单独运行时2021年起取模型默认政策（2021年即官方路径的政策）。"),
    "stress_disaster": ("压力测试：区域性自然灾害",
                        "压力测试（叠加情景，可与任一政策路径组合，如 transition+stress_disaster）。第三年发生区域性自"
                        "然灾害："
                        "2023年汛期（6—8月）各县每月额外有50%的概率受灾。受灾县约一半的村六个月内损失大部分经营收入，部分房屋变为危房。"),
    "stress_health": ("压力测试：疾病高发",
                      "压力测试（叠加情景）。疾病高发：2023年全年大病发生频率加倍。每次患病带来医保只能部分报销的医疗费用，患者和"
                      "照料者数月无法劳动。"),
    "stress_migrant_shock": ("压力测试：外出务工需求骤降",
                             "压力测试（叠加情景）。类似2020年初的外出务工需求下降：2023年2月需求降至正常的40%，外出务工者失业更多、"
                             "再就业更难，此后逐月恢复，2023年10月恢复正常。依靠外出务工工资的家庭损失数月收入。"),
    "stress_price_collapse": ("压力测试：主导产业价格暴跌",
                              "压力测试（叠加情景）。“一县一业”的风险：2023年1月起全省特色主导产业产品价格下跌40%且不再回升。生产该"
                              "产品的农户和企业收入下降，相关企业亏损、倒闭增多，吸纳的工人和订单农户减少。"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- command line ----
    "cli.summary": ("Summary", "结果摘要"),
    "cli.no_outcomes": ("No outcomes reported.", "没有输出结果。"),
    "cli.yes": ("yes", "是"),
    "cli.no": ("no", "否"),
    "cli.wrote_run": ("Wrote {out} ({fmt} tables, {n} figures) in {seconds:.1f} s.",
                      "已写入 {out}（{fmt} 表格，{n} 张图），用时 {seconds:.1f} 秒。"),
    "cli.compare_done": ("{n} paired replications in {seconds:.1f} s on {workers}. Report: {report}",
                         "{n} 次配对重复模拟，用时 {seconds:.1f} 秒（{workers}）。报告：{report}"),
    "cli.validate_done": ("{n_pass} of {n} targets pass (score {score:.0%}); report: {report}",
                          "{n} 个目标中 {n_pass} 个通过（得分 {score:.0%}）；报告：{report}"),
    "cli.outputs_header": ("Outputs of the model (name, unit, meaning). 'ruralsim outputs NAME' explains one.",
                           "模型输出（名称、单位、含义）。用“ruralsim outputs 名称”查看单项说明。"),
    "cli.levers_header": ("Policy levers (dotted path, unit, meaning):", "政策杠杆（参数路径、单位、含义）："),
    "cli.terms_header": ("Terms:", "术语："),
    "cli.unknown_output": ("{name!r} is neither an output, a lever nor a term of the glossary{hint}",
                           "{name!r} 不是词汇表中的输出、政策杠杆或术语{hint}"),
    "cli.did_you_mean": ("; did you mean {names}?", "；您是否要找 {names}？"),
    # ---- outcomes the commands derive from the runs (the model's own are named in model.indicators) ----
    "outcome.relapse_events_total": ("Household relapses over the whole period", "模拟期返贫户次合计"),
    # ---- glossary ----
    "glossary.title": ("Glossary of ruralsim", "ruralsim 词汇表"),
    "glossary.intro": ("Every output of the model and every policy lever with its unit, its Chinese name and what it "
                       "means. Outputs are the columns of the annual, monthly and county tables and the keys of "
                       "summary.json; levers are dotted paths into the parameters, usable in scenario files and "
                       "with --set.",
                       "模型的全部输出指标和政策杠杆，附单位、中英文名称和含义。输出指标即年度表、月度表、县级表的各列"
                       "和 "
                       "summary.json 中的键；政策杠杆为参数路径，可用于情景文件和 --set。"),
    "glossary.terms": ("Terms", "术语"),
    "glossary.outputs": ("Outputs", "输出指标"),
    "glossary.levers": ("Policy levers", "政策杠杆"),
    "glossary.name": ("Name", "名称"),
    "glossary.english": ("English", "英文"),
    "glossary.chinese": ("Chinese", "中文"),
    "glossary.unit": ("Unit", "单位"),
    "glossary.range": ("Range", "取值范围"),
    "glossary.default": ("Default", "默认值"),
    "glossary.meaning": ("Meaning", "含义"),
    "glossary.tables": ("Where", "所在表"),
    "glossary.link": ("Glossary: every output and lever explained", "词汇表：全部输出指标和政策杠杆的说明"),
    "table.summary": ("summary", "结果摘要"),
    "table.annual": ("annual", "年度表"),
    "table.monthly": ("monthly", "月度表"),
    "table.counties": ("counties", "县级表"),
    "table.app": ("app", "课堂应用"),
    # ---- numbers ----
    "num.pp": ("pp", "个百分点"),
    "num.bn_yuan": ("bn yuan", "亿元"),
    "num.na": ("n/a", "无"),
    "num.to": ("to", "至"),
    "num.of": ("{k} of {n}", "{n}次中{k}次"),
    # ---- where a scenario starts (ruralsim scenarios) ----
    "cli.scenario_start.policy": ("[runs on the baseline: {chain}, history {start}-{end}; policy from {first} to "
                                  "{last}]",
                                  "［基线：{chain}，{start}—{end}年为历史；政策自{first}年起至{last}年］"),
    "cli.scenario_start.own": ("[its own start: {start}-{last}; outcomes from {first}]",
                               "［自身起点：{start}—{last}年；结果自{first}年起统计］"),
    # ---- the start of the compared paths ----
    "compare.start.baseline": ("the baseline '{baseline}' ({history}): the calibrated province simulated from its "
                               "end-{prev} state through {start}-{end}, identical under every path for the same "
                               "simulation; outcomes count from {first}",
                               "基线“{baseline}”（{history}）：校准后的全省从{prev}年底状态出发模拟{start}—{end}年，"
                               "同一次模拟中各路径完全相同；结果从{first}年起统计"),
    "compare.start.own": ("its own start in {start} (no common history); outcomes count from {first}",
                          "从{start}年自身的起点出发（无共同历史）；结果从{first}年起统计"),
    "compare.start.all": ("Every path starts from {start}.", "所有路径的起点：{start}。"),
    # ---- the three excesses in a comparison ----
    "compare.te.cell": ("{p:.0%} ({lo:.0%}–{hi:.0%})", "{p:.0%}（{lo:.0%}—{hi:.0%}）"),
    "compare.te.gdp_growth": ("GDP growth", "GDP增速"),
    "compare.te.urban_income_growth": ("urban income growth", "城镇居民收入增速"),
    "compare.te.rural_income_growth": ("rural income growth", "农村居民收入增速"),
    "compare.te.none": ("none fails", "均满足"),
    "compare.te.header": ("Policy path|Year|Formerly poor counties|GDP (nominal)|Urban|Rural (all counties)|"
                          "Beats GDP|Beats urban|Beats rural|Fails most often",
                          "政策路径|年份|脱贫县|GDP（名义）|城镇|农村（全部县）|高于GDP|高于城镇|高于农村|最常不满足"),
    "compare.te.fails_most": ("the comparison that fails most often is {what} (it decides {k} of the {n} years)",
                              "最常不满足的是高于{what}（{n}年中有{k}年由它决定）"),
    "compare.te.never_fails": ("no comparison fails in any simulation", "任何模拟中三项比较均满足"),
    "compare.te.summary": ("{name}: the three excesses are more likely than not in {k} of {n} years ({years}); "
                           "{fails}.",
                           "{name}：{n}年中有{k}年“三个高于”实现的概率超过一半（{years}）；{fails}。"),
    "num.times": ("{x:.1f}×", "{x:.1f}倍"),
    # ---- the comparison (terminal and report) ----
    "compare.reference": ("reference", "参照"),
    "compare.versus": ("vs {ref}", "对比 {ref}"),
    "compare.wilson": (" (probability, Wilson interval)", "（概率，Wilson 区间）"),
    "compare.pairing": ("Pairing by seed made the intervals of the differences in cumulative relapse share {span} "
                        "narrower than comparing independent runs would.",
                        "按随机种子配对，使累计返贫比例差值的区间比独立模拟比较窄了{span}。"),
    "compare.pairing_wider": (
        "Pairing by seed made the intervals of the differences in cumulative relapse share {span} wider than "
        "comparing independent runs would: with {n} replications the widths are themselves uncertain, or the paths "
        "react to the same shocks in opposite ways.",
        "按随机种子配对，使累计返贫比例差值的区间比独立模拟比较宽了{span}：只有 {n} 次重复模拟时区间宽度本身就不确定，"
        "或者各路径对相同冲击的反应方向相反。"),
    "compare.pairing_mixed": (
        "Pairing by seed made the intervals of the differences in cumulative relapse share between {wider:.1f} "
        "times wider and {narrower:.1f} times narrower than comparing independent runs would (with {n} replications "
        "the widths are themselves uncertain).",
        "与独立模拟比较相比，按随机种子配对使累计返贫比例差值的区间在宽{wider:.1f}倍到窄{narrower:.1f}倍之间"
        "（只有 {n} 次重复模拟时区间宽度本身就不确定）。"),
    "compare.warnings_intro": ("This comparison has too few simulations for some of its numbers:",
                               "本次比较的模拟次数不足以支撑部分数值："),
    "compare.span_one": ("{lo:.1f} times", "{lo:.1f}倍"),
    "compare.span_range": ("{lo:.1f} to {hi:.1f} times", "{lo:.1f}至{hi:.1f}倍"),
    "compare.precision_reached": (
        "Precision reached after {n} replications ({batches} batches): every difference in cumulative relapse share "
        "is known to within ±{worst:.2f} percentage points (target below ±{target:.2f}).",
        "经过 {n} 次重复模拟（{batches} 批）达到精度：累计返贫比例的每个差值误差都在 ±{worst:.2f} 个百分点以内"
        "（目标低于 ±{target:.2f}）。"),
    "compare.precision_missed": (
        "Precision NOT reached: stopped at the cap of {n} replications with a largest half-width of ±{worst:.2f} "
        "percentage points (target below ±{target:.2f}); raise --max-seeds or relax --precision.",
        "未达到精度：已到 {n} 次重复模拟上限，最大半宽为 ±{worst:.2f} 个百分点（目标低于 ±{target:.2f}）；请提高 "
        "--max-seeds 或放宽 --precision。"),
    "compare.more": ("more", "更多"),
    "compare.fewer": ("fewer", "更少"),
    "compare.costs_more": ("costs {x} more", "多支出 {x}"),
    "compare.saves": ("saves {x}", "节省 {x}"),
    "compare.costs_same": ("costs about the same", "支出大致相同"),
    "compare.per_averted": ("{x:,.0f} yuan of extra spending per household relapse averted",
                            "每避免一户返贫需多支出 {x:,.0f} 元"),
    "compare.per_extra": ("{x:,.0f} yuan saved per extra household relapse", "每多一户返贫节省 {x:,.0f} 元"),
    "compare.no_avert": ("costs more and does not avert relapses", "支出更多且未能减少返贫"),
    "compare.both_good": ("saves money and averts relapses", "既节省支出又减少返贫"),
    "compare.policy_path": ("Policy path", "政策路径"),
    "compare.from": ("{value} from {when}", "{when}起 {value}"),
    "compare.seeds_range": ("{a} to {b}", "{a}至{b}"),
    "compare.failures": (" {n} simulation(s) failed; their histories were left out of every path so that the "
                         "comparison stays paired.",
                         "有 {n} 次模拟失败；为保持配对，所有路径都剔除了这些随机历史。"),
    "compare.no_failures": (" No simulation failed.", "没有模拟失败。"),
    "compare.unknown_commit": ("unknown (not a git checkout)", "未知（不是 git 工作副本）"),
    "compare.dirty": (" with uncommitted changes", "（含未提交的修改）"),
    "compare.head.relapse_rate_peak": ("Highest yearly relapse rate (share of formerly poor households)",
                                       "最高年度返贫率（占脱贫户比例）"),
    "compare.head.relapse_cum_share": ("Formerly poor households that relapsed at least once",
                                       "至少返贫一次的脱贫户比例"),
    "compare.head.large_scale_relapse": ("Chance of large-scale relapse", "发生规模性返贫的概率"),
    "compare.head.poverty_rate_final": ("Poverty rate in the last year (share of rural residents)",
                                        "末年贫困发生率（占农村人口比例）"),
    "compare.head.fiscal_cost_total_yuan": ("Public spending over the period", "模拟期财政支出合计"),
    "compare.head.three_excesses_years": ("Years (of {years}) in which the three excesses hold",
                                          "实现“三个高于”的年数（共{years}年）"),
    "compare.cap.fan_charts": ("How relapse and poverty develop", "返贫和贫困的变化"),
    "compare.cap.fan_charts.text": (
        "Each line is the middle simulation (median) of a path; the shaded band holds 80% of the simulations (from "
        "the 10% to the 90% mark). Relapse rate: formerly poor households that are poor in December but were not "
        "poor a year before, as a share of all formerly poor households. Poverty rate: residents of poor households "
        "as a share of all rural residents.",
        "每条线是一条路径的中位数模拟；阴影带包含80%的模拟（10%至90%分位）。返贫率：12月贫困而一年前不贫困的脱贫户占全部"
        "脱贫户的比例。贫困发生率：贫困家庭人口占农村总人口的比例。"),
    "compare.cap.county_heatmap": ("Where relapse happens", "返贫发生在哪里"),
    "compare.cap.county_heatmap.text": (
        "Relapse rate of each county in each year, averaged over the simulations. Blue shades lie below the "
        "large-scale threshold, red shades at or above it; a dot marks a county-year whose average reaches the "
        "threshold.",
        "各县各年返贫率（模拟平均值）。蓝色低于规模性返贫阈值，红色达到或超过阈值；圆点标出平均值达到阈值的县·年。"),
    "compare.cap.large_scale_probability": ("How likely is large-scale relapse?", "发生规模性返贫的可能性有多大？"),
    "compare.cap.large_scale_probability.text": (
        "The probability that at least one formerly poor county, in at least one year, relapses at or above the "
        "large-scale threshold with at least the minimum number of persons: each simulation's probability "
        "(estimated from its county relapse, which does not depend on how many households are simulated), "
        "averaged over the simulations, with its 95% interval.",
        "至少一个脱贫县在至少一年返贫率达到规模性返贫阈值且返贫人数不少于最低人数的概率：每次模拟的概率（由县返贫估计得出，"
        "与模拟的户数无关）在模拟间取平均，及其95%区间。"),
    "compare.cap.exceedance_curve": ("How the risk depends on the threshold", "风险与阈值的关系"),
    "compare.cap.exceedance_curve.text": (
        "No official figure defines large-scale relapse, so the threshold is a convention. The curve gives the "
        "probability of large-scale relapse for county-year thresholds from 1% to 10% of formerly poor households "
        "(with the minimum number of persons), for each path, with its 95% band; the dotted line marks the threshold "
        "of the headline.",
        "规模性返贫没有官方数量定义，阈值只是约定。曲线给出县·年阈值从脱贫户的1%到10%（并满足最低人数）时各路径发生规模性"
        "返贫的概率及其95%区间；虚线为标题所用阈值。"),
    "compare.cap.three_excesses": ("Do the three excesses hold?", "能否实现“三个高于”？"),
    "compare.cap.three_excesses.text": (
        "In how many simulations (of all) the income growth of formerly poor counties exceeded GDP growth, urban "
        "income growth and rural income growth, year by year.",
        "逐年统计脱贫县收入增速同时高于GDP增速、城镇居民收入增速和农村居民收入增速的模拟次数。"),
    "compare.cap.cost_vs_averted": ("Cost against relapses averted", "成本与避免的返贫"),
    "compare.cap.cost_vs_averted.text": (
        "Each point compares a path with the reference on the same histories: to the right, fewer household "
        "relapses; upwards, more public spending. Bars are 95% intervals of the differences.",
        "每个点在相同随机历史下把一条路径与参照路径比较：越往右返贫户越少，越往上财政支出越多。误差线为差值的95%区间。"),
    # definitions of the report
    "def.poverty_line": ("Poverty line", "贫困线"),
    "def.poverty_line.text": (
        "{line:,.0f} yuan net income per person per year in 2020 (the official line of 2,300 yuan at 2010 prices), "
        "raised with prices each year: {first_value:,.0f} yuan in {first} and {last_value:,.0f} yuan in {last}. A "
        "household is poor when its income per person, after rigid medical and schooling costs, is below the line "
        "in December{guarantees}.",
        "2020年人均纯收入 {line:,.0f} 元/年（即2010年不变价2300元的现行标准），逐年按价格调整：{first}年 "
        "{first_value:,.0f} 元，{last}年 {last_value:,.0f} 元。扣除刚性医疗和教育支出后，12月人均收入低于贫困线的家庭为"
        "贫困家庭{guarantees}。"),
    "def.guarantees": (", or when it cannot pay for basic medical care or schooling, or lives in an unsafe house "
                       "(the “three guarantees”)",
                       "；无力负担基本医疗或义务教育、或住房不安全（“三保障”未达标）的家庭也视为贫困"),
    "def.formerly_poor": ("Formerly poor household", "脱贫户"),
    "def.formerly_poor.text": ("A household registered as poor before 2021 (a fixed list).",
                               "2021年前建档立卡的贫困户（固定名单）。"),
    "def.relapse": ("Relapse", "返贫"),
    "def.relapse.text": ("A formerly poor household that is poor in December of a year and was not poor a year "
                         "earlier. The relapse rate of a year is the number of relapses divided by all formerly "
                         "poor households.",
                         "脱贫户当年12月贫困而上一年末不贫困。年度返贫率＝返贫户数÷全部脱贫户数。"),
    "def.large_scale": ("Large-scale relapse", "规模性返贫"),
    "def.large_scale.text": (
        "A county whose relapse rate in a year reaches {large} of its formerly poor households. There is no "
        "official figure; this threshold is a modelling choice and can be changed. A simulation has large-scale "
        "relapse when any county does in any year. Simulated counties have about {per_county:,.0f} households each; "
        "small simulated counties show more chance variation in their rates than real ones, so the chance of "
        "large-scale relapse is best compared between paths.",
        "某县某年返贫率达到其脱贫户的 {large}。官方没有具体数值，该阈值是建模选择，可以调整。任一县任一年达到即视为该次"
        "模拟发生规模性返贫。模拟县平均约 {per_county:,.0f} 户；模拟县较小，其返贫率的随机波动大于实际县，因此规模性返"
        "贫"
        "概率最适合在路径之间比较。"),
    "def.or": (" or ", "或"),
    "def.monitoring_threshold": ("Monitoring threshold", "监测标准"),
    "def.monitoring_threshold.text": (
        "Households with income per person below it are screened for risk: {mon}; after 2022 raised with prices "
        "({last_value:,.0f} yuan in {last}).",
        "人均收入低于该标准的农户纳入风险排查：{mon}；2022年后按价格调整（{last}年 {last_value:,.0f} 元）。"),
    "def.yuan_from": ("{value:,.0f} yuan from {when}", "{when}起 {value:,.0f} 元"),
    "def.yuan": ("{value:,.0f} yuan", "{value:,.0f} 元"),
    "def.three_excesses": ("Three excesses", "三个高于"),
    "def.three_excesses.text": ("In a year, per-capita income in formerly poor counties grows faster than GDP "
                                "(nominal), than urban per-capita income and than rural per-capita income of all "
                                "counties.",
                                "当年脱贫县农村居民人均可支配收入增速同时高于名义GDP增速、城镇居民人均可支配收入增速和全部县"
                                "农村居民人均可支配收入增速。"),
    "def.spending": ("Public spending", "财政支出"),
    "def.spending.text": (
        "Everything the simulated governments pay: pensions, dibao, transition subsidies, public-welfare posts, "
        "industrial and employment assistance, medical insurance and assistance, education support, housing "
        "renovation, enterprise support and rural construction; in nominal yuan for the whole province "
        "({counties} counties of about {per_county:,.0f} households each).",
        "模拟政府的全部支出：养老金、低保、过渡期补贴、公益性岗位、产业和就业帮扶、医疗保险和医疗救助、教育资助、危房改造、"
        "企业扶持和乡村建设；按全省现价计（{counties}个县，每县约 {per_county:,.0f} 户）。"),
    "def.events": ("Household relapses over the period", "模拟期返贫户次"),
    "def.events.text": ("The relapses of all years added up (a household that relapses twice counts twice), scaled "
                        "to the real province.",
                        "各年返贫户数之和（同一户返贫两次计两次），按实际全省规模折算。"),
    "def.relative": ("Relative poverty", "相对贫困"),
    "def.relative.text": ("Income below {share:.0%} of the rural median.", "收入低于农村中位数的 {share:.0%}。"),
    "def.counties": ("Counties", "县"),
    "def.counties.key": ("key counties for national rural revitalisation", "个国家乡村振兴重点帮扶县"),
    "def.counties.formerly_poor": ("other formerly poor counties", "个其他脱贫县"),
    "def.counties.never_poor": ("counties never designated poor", "个非贫困县"),
    "def.interval": ("95% interval", "95%区间"),
    "def.interval.text": (
        "For an average: the range that would contain the model's true average in 95 of 100 repetitions of this "
        "study (Student t; for shares and rates taken on the logit scale, for counts and money on the log scale, so "
        "that it stays within the values they can take). For a chance: Wilson's interval. For a difference: Student "
        "t on the paired differences (Newcombe's interval for a chance).",
        "平均值：在本研究重复100次中有95次会包含模型真实平均值的范围（Student t；比例和比率在 logit 尺度上计算，"
        "数量和金额在对数尺度上计算，使区间不超出它们可能的取值）。概率：Wilson 区间。差值：配对差值的 Student t "
        "区间（概率之差用 Newcombe 区间）。"),
    # ---- warnings: what a study's numbers are too uncertain for (terminal and reports) ----
    "report.read_with_care": ("Read with care", "请谨慎解读"),
    "warn.reps_one": ("{n} replication is", "{n} 次重复模拟"),
    "warn.reps_many": ("{n} replications are", "{n} 次重复模拟"),
    "warn.too_few": ("{reps} too few for {what}: {why}; use {least} or more.",
                     "{reps}不足以支撑{what}：{why}；请使用 {least} 次或更多。"),
    "warn.what.interval": ("the intervals", "区间估计"),
    "warn.what.probability": ("a probability", "概率估计"),
    "warn.what.quantiles": ("the 10%-90% bands", "10%—90%分位带"),
    "warn.why.interval": ("95% intervals of averages and of paired differences rest on Student's t, whose quantile "
                          "is {t:.1f} with {n} replications (2.3 with 10, 1.96 with many): they are very wide and "
                          "assume nearly normal outcomes",
                          "平均值和配对差值的95%区间基于 Student t 分布，{n} 次重复模拟时其分位数为 {t:.1f}（10 次时为"
                          " 2.3，次数很多时为 1.96）：区间很宽，且假定结果近似正态分布"),
    "warn.why.probability": ("a probability estimated from {n} runs can only take the values 0, 1/{n}, 2/{n}, ...: "
                             "its Wilson interval is wide and the chance of a rare event is easily estimated as zero",
                             "由 {n} 次模拟估计的概率只能取 0、1/{n}、2/{n}……：其 Wilson 区间很宽，罕见事件的概率很容"
                             "易被估计为零"),
    "warn.why.quantiles": ("the 10% and 90% marks of {n} replications are just the lowest and highest run",
                           "{n} 次重复模拟的10%和90%分位就是最低和最高的那次模拟"),
    "warn.validation": ("{reps} too few for the 90% interval over replications (the 5% and 95% marks of {n} runs "
                        "are close to the lowest and highest) and for a stable pass or fail near a tolerance: the "
                        "result is indicative only; use {least} or more.",
                        "{reps}不足以支撑重复模拟的90%区间（{n} 次模拟的5%和95%分位接近最低值和最高值），也不足以在容"
                        "差附近稳定地判断是否通过：结果仅供参考；请使用 {least} 次或更多。"),
    "warn.sens.wide": ("{output}: {wide} of {total} {what} have 95% intervals wider than the index itself (up to "
                       "±{conf:.2g}), so the sample cannot tell those effects from none{outside}; raise --n (and "
                       "--seeds where the noise share is high) before reading them.",
                       "{output}：{total} 个{what}中有 {wide} 个的95%区间比指数本身还宽（最宽 ±{conf:.2g}），样本无法"
                       "把这些作用与零区分开{outside}；请先增大 --n（噪声占比高时也增大 --seeds）再解读。"),
    "warn.sens.outside_one": ("; {k} estimate lies outside [0, 1], where an index cannot be",
                              "；有 {k} 个估计值落在 [0, 1] 之外，而指数不可能取这样的值"),
    "warn.sens.outside_many": ("; {k} estimates lie outside [0, 1], where an index cannot be",
                               "；有 {k} 个估计值落在 [0, 1] 之外，而指数不可能取这样的值"),
    "warn.sens.intro": ("Some indices cannot be told apart from zero with this sample:",
                        "在本样本中，部分指数无法与零区分："),
    # ---- figures ----
    "fig.year_december": ("year (situation in December)", "年份（12月状况）"),
    "fig.year": ("year", "年份"),
    "fig.relapse_rate_title": ("Relapse rate (share of formerly poor households)", "返贫率（占脱贫户比例）"),
    "fig.poverty_rate_title": ("Poverty rate (share of rural residents)", "贫困发生率（占农村人口比例）"),
    "fig.fan_suptitle": ("Line: median over replications; band: 10% to 90% of replications",
                         "线：重复模拟的中位数；阴影带：10%至90%分位"),
    "fig.year_short": ("year (20..)", "年份（20..）"),
    "fig.heatmap_bar": ("relapse rate; dot = at or above the large-scale threshold ({threshold:.0%})",
                        "返贫率；圆点＝达到或超过规模性返贫阈值（{threshold:.0%}）"),
    "fig.heatmap_title": ("Relapse rate by county and year, mean over replications (K = key county, F = other "
                          "formerly poor, N = never designated poor)",
                          "分县分年返贫率（重复模拟平均）。K＝国家乡村振兴重点帮扶县，F＝其他脱贫县，N＝非贫困县"),
    "fig.runs_of": ("{k} of {n} runs", "{n}次中{k}次"),
    "fig.runs_n": ("{n} runs", "{n}次模拟"),
    "fig.ls_xlabel": ("probability that some formerly poor county's yearly relapse rate reaches {threshold:.0%} "
                      "(95% interval)",
                      "某脱贫县年度返贫率达到 {threshold:.0%} 的概率（95%区间）"),
    "fig.exc_xlabel": ("county-year threshold (share of formerly poor households relapsing)",
                       "县·年阈值（返贫户占脱贫户比例）"),
    "fig.exc_ylabel": ("probability of large-scale relapse", "发生规模性返贫的概率"),
    "fig.exc_title": ("Probability of large-scale relapse by threshold (headline: {threshold:.0%})",
                      "不同阈值下发生规模性返贫的概率（标题所用：{threshold:.0%}）"),
    "fig.ls_title": ("Probability of large-scale relapse", "发生规模性返贫的概率"),
    "fig.share_of_reps": ("share of replications", "占重复模拟的比例"),
    "fig.te_title": ("Three excesses: replications in which income growth in formerly poor counties\nexceeds GDP "
                     "growth, urban and rural income growth",
                     "“三个高于”：脱贫县收入增速同时高于GDP增速、\n城镇和农村居民收入增速的模拟次数"),
    "fig.reference_mark": ("{name} (reference)", "{name}（参照）"),
    "fig.averted_xlabel": ("household relapses averted over the period, compared with {ref}\n(negative: more "
                           "relapses)",
                           "与 {ref} 相比模拟期内避免的返贫户次\n（负值：返贫更多）"),
    "fig.cost_ylabel": ("extra public spending vs {ref} (billion yuan; negative: savings)",
                        "与 {ref} 相比增加的财政支出（亿元；负值：节省）"),
    "fig.cost_title": ("Cost against relapses averted (95% intervals of the paired differences)",
                       "成本与避免的返贫（配对差值的95%区间）"),
    "fig.run.poverty_title": ("Poverty and relapse, year-end{title}", "贫困与返贫（年末）{title}"),
    "fig.run.share_ylabel": ("share (persons; households for relapse)", "比例（人口；返贫按户）"),
    "fig.run.income_title": ("Income by group{title}", "分组收入{title}"),
    "fig.run.income_ylabel": ("per-capita net income (yuan/year, nominal)", "人均纯收入（元/年，现价）"),
    "fig.run.monitoring_title": ("Monitoring, as officially reported{title}", "防止返贫监测（官方口径）{title}"),
    "fig.run.flows_title": ("Monitoring flows, monthly", "监测对象月度变化"),
    "fig.run.households": ("households", "户"),
    "fig.run.seed": ("seed {seed}", "随机种子 {seed}"),
    "fig.run.monitored_share": ("monitored ÷ formerly poor (year-end)", "监测对象 ÷ 脱贫户（年末）"),
    "fig.run.risk_eliminated_share": ("risk eliminated ÷ ever monitored", "风险消除 ÷ 累计监测"),
    "fig.run.n_monitored": ("households under monitoring", "监测对象户数"),
    "fig.run.n_newly_identified": ("newly identified in the month", "当月新识别"),
    "fig.run.income_pc_registered_yuan": ("registered (formerly poor) households", "脱贫户"),
    "fig.run.income_pc_fpc_yuan": ("formerly poor counties", "脱贫县"),
    "fig.run.income_pc_mean_yuan": ("all rural households", "全部农户"),
    "fig.run.poverty_rate": ("poverty rate (persons)", "贫困发生率（人口）"),
    "fig.run.relapse_rate": ("relapse rate (formerly poor)", "返贫率（脱贫户）"),
    "fig.run.new_poverty_rate": ("new poverty rate (never registered)", "新增致贫率（非建档立卡户）"),
    # ---- the classroom app ----
    "app.title": ("ruralsim · policy classroom", "ruralsim · 政策课堂"),
    "app.tab.live": ("Live view", "实时观察"),
    "app.tab.diff": ("B − A", "B − A 差别"),
    "app.tab.household": ("One household", "一户人家"),
    "app.tab.glossary": ("Glossary", "词汇表"),
    "app.play": ("▶ Play", "▶ 播放"),
    "app.pause": ("❚❚ Pause", "❚❚ 暂停"),
    "app.step": ("Step one month", "前进一个月"),
    "app.reset": ("Reset", "重置"),
    "app.reset_hint": ("Sliders apply on Reset.", "滑块设置在“重置”后生效。"),
    "app.busy": ("working…", "计算中…"),
    "app.speed": ("Pause between months: {ms} ms", "每月间隔：{ms} 毫秒"),
    "app.month": ("Month: {date}", "月份：{date}"),
    "app.start_of": ("start of {year}", "{year}年初"),
    "app.language": ("中文", "English"),
    "app.policy.A": ("A (reference)", "A（参照）"),
    "app.policy.B": ("B (your policy)", "B（您的政策）"),
    "app.key": ("A blue dashed, B vermillion solid; same seed, same shocks.", "A蓝色虚线，B橙红实线；同一随机种子、相"
                                                                              "同冲击。"),
    "app.press_step": ("press Step or Play", "请按“前进”或“播放”"),
    "app.no_year_end": ("no year-end yet", "尚无年末"),
    "app.from_december": ("shown from the first December", "第一个12月后显示"),
    "app.group.formerly_poor": ("formerly poor", "脱贫户"),
    "app.group.marginal": ("marginal", "边缘户"),
    "app.group.others": ("others", "其他农户"),
    "app.legend.december": ("{p} December", "{p} 12月"),
    "app.legend.rolling": ("{p} last 12 months", "{p} 近12个月"),
    "app.chart.relapse": ("Relapse %: Dec. (thick), 12 months (dots)", "返贫率%：12月（粗线）、近12个月（点）"),
    "app.chart.below_line": ("Formerly poor below the line now, %", "当前低于贫困线的脱贫户（%）"),
    "app.chart.monitoring": ("Monitored (thick), assisted, thousands", "监测户（粗）、帮扶户（细），千户"),
    "app.chart.income": ("Income per person, thousand yuan/yr", "人均收入（千元/年）"),
    "app.chart.enterprises": ("Enterprises, thousands", "企业数（千个）"),
    "app.chart.jobs": ("Local jobs, thousands", "本地就业岗位（千个）"),
    "app.chart.counties": ("County relapse, {when}; frame ≥ {threshold:.0f}%", "各县返贫率（{when}），框≥{threshold:.0"
                                                                               "f}%"),
    "app.chart.three_excesses": ("Three excesses (B): growth %/yr, ✓ met", "“三个高于”（B）：增速%/年，✓实现"),
    "app.te.fpc": ("formerly poor counties", "脱贫县"),
    "app.te.gdp": ("GDP", "GDP"),
    "app.te.urban": ("urban income", "城镇收入"),
    "app.te.rural": ("rural income", "农村收入"),
    "app.diff.title": ("Difference B − A (same seed: same households, same shocks)",
                       "差值 B − A（同一随机种子：相同农户、相同冲击）"),
    "app.diff.relapse_cum_share": ("Formerly poor ever relapsed, points", "累计返贫脱贫户（百分点）"),
    "app.diff.below_line_fp_share": ("Formerly poor below the line now, points", "当前低于贫困线的脱贫户（百分点）"),
    "app.diff.n_monitored": ("Monitored households, thousands", "监测户（千户）"),
    "app.diff.income_formerly_poor_yuan": ("Income of formerly poor, yuan/person/year", "脱贫户人均收入（元/年）"),
    "app.hh.title": ("Income by month under B, yuan (shaded: illness; squares: monitored)",
                     "B政策下逐月收入（元；阴影：患病；方块：监测中）"),
    "app.hh.from_next_month": ("followed from the next month", "从下个月开始跟踪"),
    "app.hh.wage": ("wages", "工资性收入"),
    "app.hh.operating": ("farm and business", "经营净收入"),
    "app.hh.public": ("public transfers", "公共转移收入"),
    "app.hh.private": ("private transfers", "私人转移收入"),
    "app.hh.property": ("property", "财产净收入"),
    "app.hh.rigid": ("medical & school costs", "医疗和教育支出"),
    "app.hh.net_a": ("net income under A", "A政策下纯收入"),
    "app.hh.line": ("poverty line (month)", "贫困线（月）"),
    "app.act.title": ("Policy B: act now", "政策B：立即行动"),
    "app.act.withdraw": ("Withdraw support now", "立即撤出帮扶"),
    "app.act.stop_monitoring": ("Stop monitoring now", "立即停止监测"),
    "app.act.withdrawn": ("B: targeted assistance withdrawn from {when}", "B：自{when}起撤出精准帮扶"),
    "app.act.stopped": ("B: monitoring stopped from {when}", "B：自{when}起停止监测"),
    "app.act.not_changed": ("not changed: {error}", "未改变：{error}"),
    "app.headline": ("A and B now", "A与B现状"),
    "app.headline.col": ("Indicator", "指标"),
    "app.headline.empty": ("The numbers appear after the first month.", "第一个月后显示数值。"),
    "app.row.relapse_rate": ("Relapse rate, last December", "返贫率（最近12月）"),
    "app.row.relapse_rate_12m": ("Relapse rate, last 12 months", "近12个月返贫率"),
    "app.row.relapse_cum_share": ("Formerly poor ever relapsed", "累计返贫脱贫户占比"),
    "app.row.below_line_fp_share": ("Formerly poor below the line now", "当前低于贫困线的脱贫户"),
    "app.row.n_monitored": ("Monitored households (province)", "监测户（全省）"),
    "app.row.n_assisted": ("Assisted households (province)", "帮扶户（全省）"),
    "app.row.income_formerly_poor_yuan": ("Income of formerly poor, yuan/person/yr", "脱贫户人均收入（元/年）"),
    "app.row.three_excesses": ("Three excesses: years met / years", "“三个高于”：实现年数/已过年数"),
    "app.scaled": ("Households are counted for the real province: each of the {n:,} simulated ones stands for {w:,.0f}"
                   ".",
                   "户数按全省实际规模：{n:,}个模拟农户每户代表{w:,.0f}户。"),
    "app.settings": ("B: withdrawal {withdrawal}; monitoring coverage {coverage:.2f}; assistance ×{assistance:.1f}; "
                     "enterprise support ×{enterprise:.1f}. Both: illness {illness:.2f}/household/yr; flood "
                     "{flood:.2f}; price shock {price:+.0%}.",
                     "B：撤出帮扶 {withdrawal}；监测覆盖率 {coverage:.2f}；帮扶力度 ×{assistance:.1f}；企业扶持 "
                     "×{enterprise:.1f}。A与B：大病概率 {illness:.2f}/户/年；洪灾 {flood:.2f}；价格冲击 {price:+.0%}。"
                     ""),
    "app.never": ("never", "不撤出"),
    "app.at_once": ("{year}, at once", "{year}年一次性撤出"),
    "app.taper": ("{year}, taper {years} years", "{year}年起{years}年内逐步撤出"),
    "app.now": ("now, from {when}", "已于{when}起撤出"),
    "app.monitoring_stopped": ("; monitoring stopped from {when}", "；自{when}起停止监测"),
    "app.group.run": ("Run", "运行"),
    "app.group.b": ("Policy B", "政策B"),
    "app.group.world": ("Shocks (A and B)", "冲击（A与B）"),
    "app.ctl.scenario": ("Scenario (A, and the start of B)", "情景（A，以及B的起点）"),
    "app.ctl.seed": ("Seed: {v}", "随机种子：{v}"),
    "app.ctl.households": ("Simulated households", "模拟农户数"),
    "app.ctl.withdrawal_year": ("B withdraws support in: {v}", "B撤出帮扶年份：{v}"),
    "app.ctl.taper_years": ("B taper: {v} years", "B逐步撤出：{v}年"),
    "app.ctl.coverage": ("B monitoring coverage: {v:.2f} (share)", "B监测覆盖率：{v:.2f}（比例）"),
    "app.ctl.assistance_size": ("B assistance size: ×{v:.1f}", "B帮扶力度：×{v:.1f}"),
    "app.ctl.enterprise_support": ("B enterprise support: ×{v:.1f}", "B企业扶持：×{v:.1f}"),
    "app.ctl.illness_rate": ("Illness: {v:.2f} per household/yr", "大病概率：{v:.2f}/户/年"),
    "app.ctl.disaster": ("Flood {year}: {v:.2f} per county/month", "{year}年洪灾：{v:.2f}/县/月"),
    "app.ctl.price_shock": ("Price shock {year}: {v:+.0%}", "{year}年价格冲击：{v:+.0%}"),
    "app.export": ("Export CSV", "导出CSV"),
    "app.save_b": ("Save B as scenario", "将B保存为情景"),
    "app.side.title": ("A and B in lockstep", "A与B同步运行"),
    "app.side.text": ("Both provinces were built from the same seed ({seed}): the same households meet the same "
                      "illness, disasters, prices and job losses. Only policy differs, so every gap is the policy's "
                      "effect. A: scenario {scenario}.",
                      "两个省份由同一随机种子（{seed}）生成：相同的农户经历相同的疾病、灾害、价格和失业冲击。只有政策不同，"
                      "因此所有差别都是政策的作用。A：情景 {scenario}。"),
    "app.hh.card": ("A household, month by month", "一户人家，逐月变化"),
    "app.hh.followed": ("Followed household", "跟踪的农户"),
    "app.hh.follow_row": ("Follow another (row)", "跟踪其他农户（行号）"),
    "app.hh.follow": ("Follow", "跟踪"),
    "app.hh.about": ("#{i}, {group}, county {county}: {members} members ({elderly} aged 60+, {school} in school), "
                     "{labour:.1f} labour units; stands for {weight:.0f} real households.",
                     "#{i}，{group}，{county}县：{members}口人（60岁以上{elderly}人，在校{school}人），劳动力{labour:.1f}个；"
                     "代表{weight:.0f}户实际农户。"),
    "app.hh.under": ("Under {p}, last {n} months (yuan per household)", "{p}政策下，最近{n}个月（元/户）"),
    "app.hh.cols": ("month|income|med./school|job|shocks|monitoring|assistance|last year-end",
                    "月份|收入|医疗/教育|就业|冲击|监测|帮扶|上年末"),
    "app.hh.poor": ("poor", "贫困"),
    "app.hh.not_poor": ("not poor", "不贫困"),
    "app.hh.illness": ("illness", "疾病"),
    "app.hh.disaster": ("disaster", "灾害"),
    "app.hh.unsafe": ("unsafe house", "危房"),
    "app.emp.0": ("none", "无"),
    "app.emp.1": ("local firm", "本地企业"),
    "app.emp.2": ("migrant", "外出务工"),
    "app.emp.3": ("welfare post", "公益岗位"),
    "app.mon.0": ("–", "–"),
    "app.mon.1": ("monitored", "监测中"),
    "app.mon.2": ("risk eliminated", "风险消除"),
    "app.aid.1": ("industrial", "产业"),
    "app.aid.2": ("employment", "就业"),
    "app.aid.4": ("social", "社保"),
    "app.aid.8": ("medical", "医疗"),
    "app.dibao": ("dibao", "低保"),
    # ---- sensitivity analysis ----
    "sens.no_variation": ("The {what} did not vary over the sample (it was {value:.3g} at every point), so the sample "
                          "cannot tell which levers move it; widen the ranges, change the run size or the threshold, o"
                          "r "
                          "add replications.",
                          "{what}在样本中没有变化（每个点都是 {value:.3g}），因此样本无法判断哪些杠杆影响它；请扩大取"
                          "值范围、"
                          "改变模拟规模或阈值，或增加重复次数。"),
    "sens.top_lever": ("Of the policy levers, the {name} ({path}) matters most for the {what}: {effect}; {direction}.",
                       "在政策杠杆中，{name}（{path}）对{what}影响最大：{effect}；{direction}。"),
    "sens.next_lever": ("Next: the {name} ({path}), {effect}; {direction}.", "其次是{name}（{path}）：{effect}；{direc"
                                                                             "tion}。"),
    "sens.small": ("The effect of the {names} cannot be told apart from zero with this sample.",
                   "在本样本中，{names}的作用与零无法区分。"),
    "sens.no_levers": ("The problem has no policy levers.", "该问题没有政策杠杆。"),
    "sens.unc_top": ("Among the uncertainties, the {name} matters most ({main} = {value:.3g}){compare}.",
                     "在不确定因素中，{name}影响最大（{main} = {value:.3g}）{compare}。"),
    "sens.unc_bigger": (" — more than any lever, so the risk depends on circumstances planners do not control",
                        "——超过任何政策杠杆，说明风险取决于规划者无法控制的外部条件"),
    "sens.unc_smaller": (" — less than the most important lever", "——小于最重要的政策杠杆"),
    "sens.noise": ("Run-to-run chance makes up {runs} of the variation between single runs and {means} of the "
                   "variation between the point averages the indices decompose{tail}",
                   "随机因素占单次模拟之间差异的 {runs}，占指数所分解的各点平均值之间差异的 {means}{tail}"),
    "sens.noise_high": (" — high: add replications (--seeds) before trusting small differences.",
                        "——偏高：在相信细小差别之前请增加重复次数（--seeds）。"),
    "sens.period": (".", "。"),
    "sens.one_rep": ("With one replication per point the run-to-run noise cannot be separated from the parameters' "
                     "effects; use --seeds 2 or more.",
                     "每个点只模拟一次时，无法把随机噪声与参数作用分开；请使用 --seeds 2 或更多。"),
    "sens.steadier": ("The {noisy} is mostly chance at this sample size, so its indices are inflated by noise. The "
                      "{best} ({best_name}) is steadier (noise share of the point means {share}): for it the {lever} i"
                      "s "
                      "the lever that matters most, {effect}; {direction}.",
                      "在此样本规模下，{noisy}主要由随机因素决定，其指数被噪声放大。{best}（{best_name}）更稳定（点平均值"
                      "中的噪声占比 {share}）：对它而言，{lever}是最重要的杠杆，{effect}；{direction}。"),
    "sens.effect.sobol": ("with its interactions it accounts for about {total} of the variation (95% interval "
                          "±{conf}), {first} on its own",
                          "连同交互作用约解释 {total} 的差异（95%区间 ±{conf}），单独解释 {first}"),
    "sens.effect.morris": ("mean absolute elementary effect mu* = {value:.3g} (±{conf:.2g})",
                           "平均绝对基本效应 mu* = {value:.3g}（±{conf:.2g}）"),
    "sens.effect.delta": ("moment-independent delta = {value:.3f} (±{conf:.3f})", "矩独立 delta = {value:.3f}（±{conf:"
                                                                                  ".3f}）"),
    "sens.direction.none": ("no clear direction across the sample", "在样本中方向不明确"),
    "sens.direction.up": ("raising it raises the risk", "提高它会增加风险"),
    "sens.direction.down": ("raising it lowers the risk", "提高它会降低风险"),
    "sens.design.sobol": ("Saltelli design on a Sobol' sequence, N = {n} base rows x (D + 2 = {d2})",
                          "基于 Sobol' 序列的 Saltelli 设计，N = {n} 个基础行 ×（D + 2 = {d2}）"),
    "sens.design.morris": ("{n} Morris trajectories of D + 1 = {d1} points on a 4-level grid",
                           "{n} 条 Morris 轨迹，每条 D + 1 = {d1} 个点，4 级网格"),
    "sens.design.delta": ("Latin hypercube of {n} points", "{n} 个点的拉丁超立方"),
    "sens.fig.indices": ("{method} indices with 95% intervals (◆ red = policy lever, blue = uncertainty)",
                         "{method} 指数及95%区间（◆ 红色＝政策杠杆，蓝色＝不确定因素）"),
    "sens.fig.mu": ("mu* (mean absolute elementary effect)", "mu*（平均绝对基本效应）"),
    "sens.fig.sigma": ("sigma (spread of effects)", "sigma（效应的离散程度）"),
    "sens.fig.morris": ("Morris screening: red = policy lever, blue = uncertainty", "Morris 筛选：红色＝政策杠杆，蓝色"
                                                                                    "＝不确定因素"),
    "sens.fig.n": ("sample size N", "样本量 N"),
    "sens.fig.convergence": ("Convergence of the indices on nested sub-samples (band: 95% interval)",
                             "嵌套子样本上指数的收敛（阴影：95%区间）"),
    "sens.did_not_vary": ("did not vary", "没有变化"),
    "sens.kind.lever": ("lever", "政策杠杆"),
    "sens.kind.uncertainty": ("uncertainty", "不确定因素"),
    "sens.index.S1": ("first-order indices (S1)", "一阶指数（S1）"),
    "sens.index.ST": ("total-order indices (ST)", "总效应指数（ST）"),
    "sens.index.mu_star": ("mu* values", "mu* 值"),
    "sens.index.delta": ("delta indices", "delta 指数"),
    "sens.fig.wide": ("warning: interval wider than the index for {counts}: not told apart from zero",
                      "警告：{counts}的区间比指数本身还宽，无法与零区分"),
    "sens.fig.wide_count": ("{wide} of {total} {index}", "{total} 个 {index} 中的 {wide} 个"),
    "sens.fig.wide_title": ("warning: some intervals are wider than their indices; raise --n (and --seeds) before "
                            "reading them",
                            "警告：部分区间比指数本身还宽；请先增大 --n（和 --seeds）再解读"),
    # ---- scenario discovery ----
    "disc.too_rare": ("large-scale relapse is too rare in this sample for PRIM: {k} of {n:,} runs ({share}) have it, a"
                      "t "
                      "least {min_cases} are needed. Widen the ranges towards harsher conditions, lower --threshold, "
                      "or add points (--n)",
                      "本样本中规模性返贫太少，无法运行 PRIM：{n:,} 次模拟中只有 {k} 次（{share}），至少需要 {min_case"
                      "s} 次。"
                      "请把取值范围向更严峻的条件扩大、降低 --threshold，或增加样本点（--n）"),
    "disc.too_common": ("large-scale relapse is too common in this sample for PRIM: {k} of {n:,} runs ({share}) have "
                        "it, at least {min_cases} runs without it are needed. Widen the ranges towards milder "
                        "conditions, raise --threshold, or add points (--n)",
                        "本样本中规模性返贫太多，无法运行 PRIM：{n:,} 次模拟中有 {k} 次（{share}），至少需要 {min_case"
                        "s} 次"
                        "未发生的模拟。请把取值范围向更温和的条件扩大、提高 --threshold，或增加样本点（--n）"),
    "disc.no_box": ("PRIM found no region where large-scale relapse is more frequent than in the sample as a whole; it "
                    "does not depend on the parameters in a way a box can describe with this sample",
                    "PRIM 没有找到规模性返贫比整个样本更频繁的区域；在本样本中它与参数的关系无法用一个盒子描述"),
    "disc.withdraw_before": ("support starts to be withdrawn in {hi} or earlier", "在{hi}年或更早开始撤出帮扶"),
    "disc.withdraw_after": ("support starts to be withdrawn in {lo} or later", "在{lo}年或更晚开始撤出帮扶"),
    "disc.withdraw_between": ("support starts to be withdrawn between {lo} and {hi}", "在{lo}年至{hi}年之间开始撤出帮"
                                                                                      "扶"),
    "disc.at_most": ("the {what} is at most {hi}", "{what}不高于 {hi}"),
    "disc.at_least": ("the {what} is at least {lo}", "{what}不低于 {lo}"),
    "disc.between": ("the {what} is between {lo} and {hi}", "{what}介于 {lo} 和 {hi} 之间"),
    "disc.and": (" and ", "且"),
    "disc.sep": (", ", "，"),
    "disc.box": ("Large-scale relapse in {density} of runs (against {base} over the whole sample) when {conditions}. "
                 "These conditions hold in {mass} of the runs and contain {coverage} of all runs with large-scale "
                 "relapse.",
                 "当{conditions}时，{density} 的模拟发生规模性返贫（整个样本为 {base}）。满足这些条件的模拟占 {mass}，"
                 "包含"
                 "全部规模性返贫模拟的 {coverage}。"),
    "disc.fig.peeling": ("box {b} peeling", "盒子{b}剥离轨迹"),
    "disc.fig.box": ("box {b}", "盒子{b}"),
    "disc.fig.restricted": ("restricted parameters", "受限参数个数"),
    "disc.fig.whole": ("whole sample", "整个样本"),
    "disc.fig.coverage": ("coverage (share of large-scale-relapse runs inside)", "覆盖率（盒内规模性返贫模拟占全部的比"
                                                                                 "例）"),
    "disc.fig.density": ("density (share of runs inside with it)", "密度（盒内模拟中发生规模性返贫的比例）"),
    "disc.fig.title": ("PRIM peeling trade-off (red circle: chosen box)", "PRIM 剥离权衡（红圈：选定的盒子）"),
    # ---- validation and calibration ----
    "fit.validation_title": ("Validation of '{scenario}': score {score:.0%}", "“{scenario}”的验证：得分 {score:.0%}"),
    "fit.validation_intro": (
        "Scenario `{scenario}`, {households:,} households in {counties} counties, {years}, {n} replications (seeds "
        "{first}-{last}). Targets: {targets}. A target passes when the mean over replications is within its "
        "tolerance.",
        "情景 `{scenario}`，{counties} 个县 {households:,} 户，{years}，{n} 次重复模拟（随机种子 {first}-{last}）。目"
        "标文件："
        "{targets}。若重复模拟的平均值落在容差范围内，该目标即为通过。"),
    "fit.score": ("Overall score: {n_pass} of {n} targets pass ({score:.0%}).", "总得分：{n} 个目标中 {n_pass} 个通过"
                                                                                "（{score:.0%}）。"),
    "fit.series_title": ("'{scenario}': mean and 90% band over {n} replications", "“{scenario}”：{n} 次重复模拟的平均"
                                                                                  "值和90%区间"),
    "fit.header": ("id|indicator|year|target|tolerance|simulated mean|90% interval|pass|gap (mean − target)|sample",
                   "编号|指标|年份|目标值|容差|模拟平均值|90%区间|是否通过|差距（平均值−目标值）|样本"),
    "fit.sample.in": ("in sample", "样本内"),
    "fit.sample.out": ("out of sample", "样本外"),
    "fit.sample_scores": ("In sample (the history the calibration fits): {in_pass} of {n_in} pass; out of sample "
                          "(from {first}, never fitted): {out_pass} of {n_out} pass.",
                          "样本内（校准拟合的历史）：{n_in} 个中 {in_pass} 个通过；样本外（{first}年起，从未拟合）："
                          "{n_out} 个中 {out_pass} 个通过。"),
    "fit.relative": (" (relative)", "（相对）"),
    "fit.pass": ("pass", "通过"),
    "fit.fail": ("FAIL", "未通过"),
    "fit.sources": ("Sources", "来源"),
    "fit.fig.band": ("target ± tolerance", "目标值 ± 容差"),
    "fit.fig.position": ("(simulated − target) / tolerance  (dot: mean; line: 90% of replications)",
                         "（模拟值 − 目标值）/ 容差（点：平均值；线：90%的重复模拟）"),
    "fit.fig.candidate": ("candidate", "候选"),
    "fit.fig.best": ("best so far", "当前最优"),
    "fit.fig.evaluated": ("candidate evaluated", "已评估的候选"),
    "fit.fig.distance": ("weighted distance", "加权距离"),
    "fit.cal_title": ("Calibration of '{scenario}': distance {distance:.4g}", "“{scenario}”的校准：距离 {distance:.4g}"
                                                                              ""),
    "fit.cal_best": ("Best candidate: distance {distance:.3g}", "最优候选：距离 {distance:.3g}"),
    "fit.cal_series": ("Best candidate: mean and 90% band over replications", "最优候选：重复模拟的平均值和90%区间"),
    "fit.fitted": ("Fitted parameters", "拟合的参数"),
    "fit.targets": ("Targets", "目标"),
    "fit.p_header": ("parameter|search range|fitted|why this range", "参数|搜索范围|拟合值|取该范围的理由"),
    "fit.t_header": ("target|indicator|year|value|tolerance|simulated mean|90% interval|weight|contribution",
                     "目标|指标|年份|目标值|容差|模拟平均值|90%区间|权重|贡献"),
    "fit.cal_intro": (
        "Scenario `{scenario}`, {households:,} households in {counties} counties, {years}; differential evolution "
        "(population {popsize} per parameter, {maxiter} generations) evaluated {evaluated} candidates (budget "
        "{budget}), each over {n} replications on the same seeds. Distance = Σ w·((mean − target) / tolerance)² / Σ w; "
        "the contributions below add up to it.",
        "情景 `{scenario}`，{counties} 个县 {households:,} 户，{years}；差分进化（每个参数种群 {popsize}，{maxiter} 代"
        "）"
        "共评估 {evaluated} 个候选（预算 {budget}），每个候选在相同随机种子上重复模拟 {n} 次。距离 = Σ w·((平均值 − 目"
        "标值) "
        "/ 容差)² / Σ w；下表各项贡献之和即为距离。"),
    "abc.title": ("Parameter ensemble of '{scenario}' by ABC-SMC: final tolerance {epsilon:.3g}",
                  "“{scenario}”的参数集合（ABC-SMC）：最终容差 {epsilon:.3g}"),
    "abc.intro": (
        "Scenario `{scenario}`, {households:,} households in {counties} counties, {years}; approximate Bayesian "
        "computation by sequential Monte Carlo: {population} particles per generation, {generations} generations, "
        "{evaluated} simulated candidates (budget {budget}), each over {n} replications on the same seeds, "
        "{minutes:.1f} minutes. Priors: uniform over the search ranges. Distance = Σ w·((mean − target) / "
        "tolerance)² / Σ w. Effective sample size of the weights: {ess:.0f}.",
        "情景 `{scenario}`，{counties} 个县 {households:,} 户，{years}；"
        "序贯蒙特卡洛近似贝叶斯计算（ABC-SMC）：每代 {population} 个粒子，{generations} 代，"
        "共模拟 {evaluated} 个候选（预算 {budget}），每个候选在相同随机种子上重复模拟 {n} 次，"
        "用时 {minutes:.1f} 分钟。先验：搜索范围上的均匀分布。"
        "距离 = Σ w·((平均值 − 目标值) / 容差)² / Σ w。权重的有效样本量：{ess:.0f}。"),
    "abc.posterior": ("Fitted parameters (the ensemble)", "拟合的参数（参数集合）"),
    "abc.generations": ("Generations", "各代"),
    "abc.in_sample": ("In-sample targets: the ensemble", "样本内目标：参数集合的结果"),
    "abc.checks": ("Checks not fitted (after 2020)", "未拟合的检验（2020年以后）"),
    "abc.checks_intro": ("{sets} parameter sets drawn from the ensemble by weight, {n} replications each.",
                         "按权重从参数集合中抽取 {sets} 组参数，每组重复模拟 {n} 次。"),
    "abc.p_header": ("parameter|prior range|weighted mean|sd|90% range|why this range",
                     "参数|先验范围|加权平均|标准差|90%范围|取该范围的理由"),
    "abc.t_header": ("target|indicator|year|value|tolerance|ensemble mean|90% range over particles|within "
                     "tolerance|particle weight within",
                     "目标|指标|年份|目标值|容差|集合平均值|粒子间90%范围|在容差内|容差内的粒子权重"),
    "abc.g_header": ("generation|tolerance (epsilon)|simulated|accepted|acceptance rate",
                     "代|容差（epsilon）|模拟数|接受数|接受率"),
    "abc.c_header": ("check|indicator|year|value|tolerance|mean|90% range over parameter sets|within tolerance",
                     "检验|指标|年份|目标值|容差|平均值|参数组间90%范围|在容差内"),
    "compare.pu.title": ("Parameter uncertainty and chance", "参数不确定性与随机性"),
    "compare.pu.text": (
        "Each pair of simulations ran one of the {sets} parameter sets fitted to 2017-2020 ({source}), drawn by "
        "weight, the same set for every path. Grouping the {n} simulations by the {groups} sets drawn, the spread "
        "of each result splits into chance (within a set) and parameter uncertainty (between sets; law of total "
        "variance, one-way analysis of variance). Each cell: the standard deviation due to chance, then due to "
        "the parameters, and the parameters' share of the variance (spreads of single results, not intervals; "
        "the interval of each mean is in the table above).",
        "每两次模拟使用从2017—2020年拟合得到的 {sets} 组参数（{source}）中按权重抽取的一组，"
        "所有路径使用同一组。按抽到的 {groups} 组参数将 {n} 次模拟分组，"
        "每项结果的离散程度分解为随机性（组内）和参数不确定性（组间；全方差公式，单因素方差分析）。"
        "每格依次为随机性和参数导致的标准差，以及参数所占方差比例（为单次结果的离散程度，而非区间；各均值的区间见上表）。"),
    "compare.pu.versus": ("{name} − {reference}", "{name} − {reference}"),
    "compare.pu.cell": ("chance sd {chance}; parameters sd {parameters} ({share})",
                        "随机标准差 {chance}；参数标准差 {parameters}（{share}）"),
    "abc.yes": ("yes", "是"),
    "abc.no": ("no", "否"),
}
