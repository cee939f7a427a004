"""Deterministic demo data for the 亲清虚拟园区 portal: enterprises, banks and virtual parks.

Pure module (standard library + portal.reference). Enterprise records follow the record format of the
policy-matching benchmark (bench SCHEMA.md) and its generation facts, so the demo behaves like the benchmark.
Every text here is written for the demo; no name refers to a real company.
"""

from __future__ import annotations

import random
from datetime import date
from fractions import Fraction

from portal import reference

DEMO_SOURCE = "宝安区政务数据共享平台（演示数据）"
AS_OF = date(2026, 6, 30)

BAOAN = "宝安区"
OTHER_DISTRICTS: dict[str, tuple[str, ...]] = {
    "南山区": (
        "粤海街道",
        "南头街道",
        "西丽街道",
        "桃源街道",
        "蛇口街道",
        "招商街道",
        "沙河街道",
        "南山街道",
    ),
    "龙华区": ("龙华街道", "民治街道", "大浪街道", "观湖街道", "观澜街道", "福城街道"),
    "福田区": ("福田街道", "华富街道", "莲花街道", "梅林街道", "沙头街道", "香蜜湖街道", "福保街道"),
    "龙岗区": ("坂田街道", "布吉街道", "横岗街道", "龙城街道", "平湖街道", "坪地街道", "宝龙街道"),
    "光明区": ("光明街道", "公明街道", "玉塘街道", "凤凰街道", "新湖街道", "马田街道"),
    "罗湖区": ("桂园街道", "东门街道", "笋岗街道", "清水河街道", "莲塘街道", "翠竹街道"),
}
_OTHER_DISTRICT_WEIGHTS = {"南山区": 4, "龙华区": 4, "光明区": 3, "龙岗区": 3, "福田区": 2, "罗湖区": 1}

# Bao'an streets: the west and north are the factory belt, 新安/西乡/航城 host more offices and services.
_FACTORY_STREET_WEIGHTS = {
    "新安街道": 2,
    "西乡街道": 4,
    "航城街道": 4,
    "福永街道": 6,
    "福海街道": 6,
    "沙井街道": 7,
    "新桥街道": 5,
    "松岗街道": 6,
    "燕罗街道": 5,
    "石岩街道": 6,
}
_SERVICE_STREET_WEIGHTS = {
    "新安街道": 8,
    "西乡街道": 7,
    "航城街道": 4,
    "福永街道": 3,
    "福海街道": 2,
    "沙井街道": 3,
    "新桥街道": 2,
    "松岗街道": 2,
    "燕罗街道": 1,
    "石岩街道": 2,
}

SIZES = ("微型", "小型", "中型", "大型")
_SIZE_WEIGHTS = (50, 35, 12, 3)

# Per 300号 sector and target size: (min employees, max employees, revenue floor, assets floor).
# The floors put the firm at or above the size's thresholds; the employee band keeps it below the next size.
_BANDS: dict[str, dict[str, tuple[int, int, float, float]]] = {
    "工业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 299, 300, 0),
        "中型": (300, 999, 2000, 0),
        "大型": (1000, 5200, 40000, 0),
    },
    "批发业": {
        "微型": (1, 4, 0, 0),
        "小型": (5, 19, 1000, 0),
        "中型": (20, 199, 5000, 0),
        "大型": (200, 520, 40000, 0),
    },
    "零售业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 49, 100, 0),
        "中型": (50, 299, 500, 0),
        "大型": (300, 1400, 20000, 0),
    },
    "交通运输业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 299, 200, 0),
        "中型": (300, 999, 3000, 0),
        "大型": (1000, 2600, 30000, 0),
    },
    "仓储业": {
        "微型": (2, 19, 0, 0),
        "小型": (20, 99, 100, 0),
        "中型": (100, 199, 1000, 0),
        "大型": (200, 700, 30000, 0),
    },
    "餐饮业": {
        "微型": (3, 9, 0, 0),
        "小型": (10, 99, 100, 0),
        "中型": (100, 299, 2000, 0),
        "大型": (300, 1100, 10000, 0),
    },
    "信息传输业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 100, 0),
        "中型": (100, 1999, 1000, 0),
        "大型": (2000, 4200, 100000, 0),
    },
    "软件和信息技术服务业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 50, 0),
        "中型": (100, 299, 1000, 0),
        "大型": (300, 2600, 10000, 0),
    },
    "租赁和商务服务业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 0, 100),
        "中型": (100, 299, 0, 8000),
        "大型": (300, 900, 0, 120000),
    },
    # 建筑业 is sized by revenue and assets only; the revenue cap of 微型 is handled in _finances.
    "建筑业": {
        "微型": (3, 30, 0, 0),
        "小型": (12, 160, 300, 300),
        "中型": (90, 800, 6000, 5000),
        "大型": (700, 4800, 80000, 80000),
    },
    "其他未列明行业": {
        "微型": (2, 9, 0, 0),
        "小型": (10, 99, 0, 0),
        "中型": (100, 299, 0, 0),
        "大型": (300, 1300, 0, 0),
    },
}

_SECTOR_BY_PREFIX = (
    ("C", "工业"),
    ("E", "建筑业"),
    ("F51", "批发业"),
    ("F52", "零售业"),
    ("G59", "仓储业"),
    ("G", "交通运输业"),
    ("H", "餐饮业"),
    ("I65", "软件和信息技术服务业"),
    ("I", "信息传输业"),
    ("L", "租赁和商务服务业"),
    ("M", "其他未列明行业"),
)

_GENERAL_CHARS = (
    "华信达鑫宏盛创源泰恒瑞联博锐嘉兴星腾捷峰汇辰晟昊凯佳合邦卓德诚精弘启安永立丰铭宇润景和正顺远耀扬"
    "旭金凌越亿万晶骏朗颖致诺维豪锦帆品尚亨祥蓝川宸航翔"
)
_PLACE_PREFIXES = ("宝", "鹏", "粤", "深", "海", "南", "湾", "凤", "西", "铁", "燕", "石")

_COMMON_SCOPE = (
    "货物及技术进出口",
    "国内贸易（不含专营、专卖、专控商品）",
    "信息咨询（不含限制项目）",
    "自有物业租赁",
    "企业管理咨询",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
)


def _profile(
    code: str,
    weight: int,
    words: str,
    chars: str,
    products: str,
    scope: str,
    licensed: str,
    apps: str,
    per_head: tuple[float, float],
    rd: tuple[float, float, float],
    tax: tuple[float, float] = (0.02, 0.05),
    assets: tuple[float, float] = (0.6, 1.3),
    sizes: tuple[int, int, int, int] = _SIZE_WEIGHTS,
) -> dict:
    """Bundle one industry's vocabulary and financial shape; list-like fields are "、"-separated strings."""
    return {
        "code": code,
        "weight": weight,
        "words": tuple(words.split("、")),
        "chars": chars,
        "products": tuple(products.split("、")),
        "scope": tuple(scope.split("、")),
        "licensed": tuple(licensed.split("、")) if licensed else (),
        "apps": tuple(apps.split("、")),
        "per_head": per_head,  # revenue per employee, 万元
        "rd": rd,  # (share of firms doing R&D, lowest rd ratio, highest rd ratio)
        "tax": tax,  # tax paid / revenue
        "assets": assets,  # assets / revenue
        "sizes": sizes,
    }


# Items inside a field are separated by "、", so items themselves use "，" or "及" instead.
INDUSTRIES: tuple[dict, ...] = (
    _profile(
        "C3982",
        9,
        "电路、线路板、电子、电路科技",
        "讯鼎联捷层铜通",
        "高多层印制电路板、HDI高密度互连板、柔性线路板、刚挠结合板、铝基板、高频微波板、厚铜电源板、"
        "IC封装基板、埋铜散热板",
        "印制电路板的研发与销售、电子元器件的购销、线路板设计服务、电子材料的销售、覆铜板的销售、"
        "电路板检测设备的销售",
        "印制电路板的生产、线路板电镀加工、电路板表面贴装加工",
        "通信基站、消费电子、汽车电子、工控设备、医疗电子、服务器",
        (45, 110),
        (0.7, 0.025, 0.06),
    ),
    _profile(
        "C3976",
        6,
        "光电、光电子、照明科技、光电科技",
        "光辉明晶彩耀亮",
        "LED灯珠、Mini LED背光模组、COB光源、红外发射管、光耦合器、紫外LED芯片、激光二极管、光电传感器",
        "LED封装器件的研发与销售、光电子器件的技术开发、照明灯具的销售、光电检测仪器的销售、半导体照明技术咨询",
        "LED封装器件的生产、光电子器件的生产",
        "显示屏、汽车照明、智能家居、植物照明、安防监控",
        (40, 100),
        (0.7, 0.02, 0.07),
    ),
    _profile(
        "C3974",
        4,
        "显示、显示技术、光显科技、视界科技",
        "显视晶彩屏像维",
        "TFT液晶显示模组、OLED显示屏、电子纸显示模组、LED小间距显示屏、车载显示屏、触控显示一体模组",
        "显示器件的研发与销售、触摸屏的技术开发、显示驱动方案设计、电子产品的购销",
        "液晶显示模组的生产、显示屏的组装加工",
        "工控终端、车载中控、智能穿戴、商用显示、教育平板",
        (55, 150),
        (0.75, 0.03, 0.07),
    ),
    _profile(
        "C3981",
        4,
        "电子元件、电子、磁电、电子科技",
        "磁容感阻微精",
        "片式多层陶瓷电容、功率电感、共模滤波器、贴片电阻、铝电解电容、磁珠、变压器、压敏电阻",
        "电子元器件的研发与销售、磁性材料的销售、电子元件检测服务、电子材料的技术开发",
        "电感器件的生产、电容器的生产、变压器的生产",
        "电源适配器、新能源汽车、通信设备、家电、光伏逆变器",
        (35, 90),
        (0.6, 0.02, 0.06),
    ),
    _profile(
        "C3922",
        6,
        "通讯、通信、智能终端、无线科技",
        "讯通联声频移语",
        "智能手机、对讲机、4G工业路由器、物联网通信模组、智能手表、儿童定位手表、5G CPE、蓝牙耳机",
        "通信终端设备的研发与销售、手机配件的销售、无线通信模块设计、软件开发及销售、电子产品的技术服务",
        "通信终端设备的生产、电子产品的组装加工",
        "海外运营商、物流追踪、智慧城市、工业物联网、教育市场",
        (60, 180),
        (0.75, 0.03, 0.09),
    ),
    _profile(
        "C3921",
        3,
        "通信技术、网络设备、通信设备、光通信",
        "网联讯通瑞光",
        "光传输设备、5G小基站、光模块、工业交换机、微波射频单元、PON接入设备、无线网桥",
        "通信设备的研发与销售、网络工程的设计与施工、通信技术咨询、光通信器件的销售",
        "通信设备的生产、电信设备进网检测配套服务",
        "电信运营商、数据中心、轨道交通、电力通信、园区网络",
        (60, 160),
        (0.85, 0.05, 0.14),
    ),
    _profile(
        "C3990",
        6,
        "电子、智能科技、电子科技、电子技术",
        "智电科微创数",
        "电子烟雾化器、智能门锁、移动电源、蓝牙音箱、智能插座、电子秤、无线充电器、美容仪、车载充电器",
        "电子产品的研发与销售、智能家居产品的设计、电子产品的技术服务、塑胶五金配件的销售",
        "电子产品的生产、电子产品的组装加工",
        "跨境电商、家居、个人护理、户外出行、礼品市场",
        (35, 100),
        (0.55, 0.02, 0.06),
    ),
    _profile(
        "C3841",
        6,
        "新能源、电池、锂电、能源科技",
        "能锂储源电力阳",
        "磷酸铁锂电芯、三元动力电池模组、储能电池系统、便携式储能电源、两轮车锂电池包、电动工具电池包、BMS保护板",
        "锂离子电池的研发与销售、电池管理系统的开发、储能设备的销售、新能源技术咨询、电池材料的销售",
        "锂离子电池的生产、电池组的组装加工",
        "电动两轮车、家庭储能、通信备电、电动工具、户外露营",
        (60, 160),
        (0.75, 0.03, 0.07),
    ),
    _profile(
        "C3824",
        3,
        "电力电子、功率器件、半导体、电源科技",
        "芯能功电源控",
        "IGBT模块、碳化硅MOSFET、功率二极管、光伏逆变器功率模块、车规级功率模块、开关电源模块",
        "功率半导体器件的研发与销售、电力电子技术开发、电源产品的销售、半导体器件的技术服务",
        "功率模块的生产、半导体器件的封装测试",
        "新能源汽车、光伏发电、工业变频、充电桩、储能变流器",
        (50, 120),
        (0.8, 0.04, 0.1),
    ),
    _profile(
        "C3831",
        3,
        "电线电缆、线缆、电缆、电线",
        "缆线通远鑫金",
        "电力电缆、控制电缆、新能源汽车高压线束、光伏专用电缆、屏蔽数据线、阻燃电线、充电桩电缆",
        "电线电缆的研发与销售、线束的设计、电工器材的销售、铜材的购销",
        "电线电缆的生产、线束的加工",
        "建筑工程、新能源汽车、光伏电站、家用电器、轨道交通",
        (80, 200),
        (0.45, 0.01, 0.04),
        (0.01, 0.03),
    ),
    _profile(
        "C3852",
        1,
        "电器、制冷设备、空调、环境科技",
        "冷风凉雪净温",
        "家用变频空调、移动空调、窗式空调、空调室外机组件、新风空调一体机、除湿机",
        "家用电器的研发与销售、制冷设备的技术开发、空调安装及维修服务、电器配件的销售",
        "空调器的生产、制冷设备的组装加工",
        "家庭住宅、酒店公寓、海外市场、商超零售",
        (60, 150),
        (0.6, 0.02, 0.05),
    ),
    _profile(
        "C3670",
        4,
        "汽车部件、汽车电子、精密部件、汽配",
        "驰骋行轮动速",
        "车载摄像头模组、汽车线束、车用连接器、电动座椅调节器、新能源汽车电驱壳体、车载充电机、汽车灯具",
        "汽车零部件的研发与销售、汽车电子产品的设计、模具的设计与销售、汽车配件的技术咨询",
        "汽车零部件的生产、模具的制造、压铸件的加工",
        "新能源整车、商用车、汽车后装、充电设施",
        (40, 110),
        (0.65, 0.025, 0.06),
    ),
    _profile(
        "C3612",
        1,
        "新能源汽车、汽车、电动汽车",
        "驰骋行途远",
        "纯电动物流车、电动乘用车、插电式混合动力汽车、电动客车、无人配送车",
        "新能源汽车的研发与销售、汽车零部件的销售、充电设施的技术服务、汽车租赁",
        "新能源汽车整车的生产、汽车零部件的生产",
        "城市物流、公共交通、网约车、园区通勤",
        (150, 400),
        (0.9, 0.03, 0.06),
        (0.02, 0.05),
        (0.8, 1.4),
        (0, 0, 3, 2),
    ),
    _profile(
        "C3491",
        3,
        "机器人、自动化、智能装备、智能制造",
        "智控动捷准机",
        "六轴工业机器人、SCARA机器人、协作机器人、码垛机器人、视觉分拣机器人、AGV搬运机器人、机器人关节模组",
        "工业机器人的研发与销售、自动化设备的设计、机器视觉系统的开发、工业自动化技术咨询",
        "工业机器人的生产、自动化设备的组装",
        "3C电子、锂电制造、汽车装配、食品包装、物流仓储",
        (40, 120),
        (0.9, 0.05, 0.12),
    ),
    _profile(
        "C3562",
        2,
        "半导体设备、精密设备、微电子装备、智能装备",
        "芯精微晶准科",
        "晶圆划片机、固晶机、引线键合机、半导体检测设备、等离子清洗机、晶圆传送系统",
        "半导体专用设备的研发与销售、精密机械的设计、设备维修及技术服务、半导体工艺技术咨询",
        "半导体专用设备的生产",
        "芯片封测、LED封装、功率器件、先进封装",
        (50, 150),
        (0.9, 0.06, 0.15),
    ),
    _profile(
        "C3425",
        2,
        "精密机械、机床附件、数控、精密科技",
        "精准机锋刃工",
        "数控刀塔、精密丝杆、直线导轨、电主轴、机床夹具、数控分度盘、精密刀柄",
        "机床功能部件的研发与销售、精密机械零件的设计、数控技术咨询、五金工具的销售",
        "机床附件的生产、精密零件的加工",
        "数控机床、模具加工、3C精密加工、汽车零部件加工",
        (30, 80),
        (0.6, 0.02, 0.06),
    ),
    _profile(
        "C3581",
        2,
        "医疗器械、医疗科技、生物医疗、医疗电子",
        "康瑞医健仁安",
        "多参数监护仪、便携式超声诊断仪、电子血压计、血氧仪、输液泵、雾化器、康复理疗仪",
        "医疗器械的研发与销售、医疗软件开发、医疗设备的技术服务、健康管理咨询（不含诊疗）",
        "第二类医疗器械生产、第三类医疗器械经营、医疗器械的进出口",
        "医院、社区卫生服务中心、家庭健康、海外市场",
        (50, 140),
        (0.9, 0.06, 0.15),
        (0.03, 0.06),
    ),
    _profile(
        "C2929",
        5,
        "塑胶制品、塑胶、塑料制品、塑胶科技",
        "塑美丰模注亮",
        "注塑外壳、塑胶结构件、吸塑包装、双色注塑件、硅胶按键、塑料齿轮、PET包装盒",
        "塑胶制品的销售、塑胶模具的设计、塑胶原料的购销、包装材料的销售",
        "塑胶制品的生产、注塑加工、模具的生产",
        "家电、消费电子、玩具、日化包装、汽车内饰",
        (25, 60),
        (0.3, 0.01, 0.04),
    ),
    _profile(
        "C3360",
        3,
        "表面处理、金属表面技术、电镀、表面科技",
        "亮镀光洁锌镍",
        "阳极氧化加工、五金电镀、真空镀膜、钝化处理、喷涂加工、PVD镀膜、化学镀镍",
        "金属表面处理技术的开发、环保设备的销售、化工原料的销售（不含危险化学品）、五金制品的购销",
        "电镀加工、阳极氧化加工、金属热处理加工",
        "手机中框、卫浴五金、汽车配件、电子连接器",
        (20, 50),
        (0.2, 0.01, 0.035),
    ),
    _profile(
        "C3399",
        4,
        "五金制品、精密五金、金属制品、五金",
        "金钢铭锻精冲",
        "精密冲压件、CNC加工件、五金弹片、不锈钢结构件、金属屏蔽罩、压铸件、紧固件",
        "五金制品的研发与销售、模具的设计、金属材料的购销、机械配件的销售",
        "五金制品的生产、冲压加工、CNC精密加工",
        "消费电子、通信设备、新能源、家具配件、医疗器械",
        (25, 60),
        (0.3, 0.01, 0.04),
    ),
    _profile(
        "C1830",
        2,
        "服饰、服装、制衣、时装",
        "衣雅丽尚绣锦",
        "女装连衣裙、针织T恤、运动服装、校服、职业工装、羽绒服、婴童服装",
        "服装的设计与销售、纺织面料的购销、服饰配件的销售、品牌策划",
        "服装的生产、针织品的加工",
        "线上品牌、商超专柜、外贸订单、学校团购",
        (15, 40),
        (0.15, 0.01, 0.03),
        (0.01, 0.035),
    ),
    _profile(
        "C2110",
        2,
        "家具、家居、木业、家私",
        "木居林森雅家",
        "实木餐桌、办公桌椅、定制衣柜、酒店家具、实木床、书柜、儿童家具",
        "家具的设计与销售、室内装饰设计、木材的购销、家居用品的销售",
        "木质家具的生产、板材加工",
        "酒店工程、写字楼、家装、外贸出口",
        (20, 50),
        (0.15, 0.01, 0.03),
        (0.015, 0.04),
    ),
    _profile(
        "C2438",
        1,
        "珠宝、首饰、珠宝首饰、金饰",
        "珠金玉翠珑彩",
        "黄金首饰、K金饰品、钻石镶嵌饰品、银饰、珍珠饰品、翡翠挂件",
        "珠宝首饰的设计与销售、贵金属制品的购销、珠宝鉴定咨询、工艺礼品的销售",
        "贵金属首饰加工、珠宝首饰的生产",
        "品牌连锁、婚庆市场、电商直播、海外批发",
        (80, 300),
        (0.15, 0.005, 0.03),
        (0.005, 0.02),
        (0.3, 0.7),
    ),
    _profile(
        "I6513",
        5,
        "软件、信息技术、网络科技、软件技术",
        "云码维软数智",
        "MES生产执行系统、智慧园区管理平台、ERP系统、小程序开发、跨境电商SaaS、企业OA系统、仓储管理软件",
        "软件开发、信息系统集成服务、信息技术咨询服务、数据处理服务、计算机软硬件的销售",
        "第二类增值电信业务",
        "制造企业、政府机关、物流企业、学校、零售门店",
        (25, 70),
        (0.9, 0.06, 0.25),
        (0.03, 0.06),
        (0.4, 1.0),
    ),
    _profile(
        "I6520",
        3,
        "微电子、集成电路、芯片科技、半导体",
        "芯微晶核矽算",
        "电源管理芯片、蓝牙SoC芯片、MCU芯片、射频前端芯片、显示驱动芯片、传感器信号调理芯片、电机驱动芯片",
        "集成电路设计、集成电路芯片及产品销售、电子元器件的销售、技术服务、技术开发",
        "",
        "消费电子、智能家居、工业控制、汽车电子、物联网",
        (60, 200),
        (0.95, 0.12, 0.35),
        (0.02, 0.05),
        (0.6, 1.4),
    ),
    _profile(
        "I6450",
        2,
        "数据科技、云计算、数据服务、云科技",
        "云数算链通智",
        "云主机托管、数据中心运维、大数据分析平台、CDN加速服务、数据标注服务、边缘计算节点",
        "互联网数据服务、数据处理和存储支持服务、信息系统运行维护服务、云计算装备的销售",
        "第一类增值电信业务、第二类增值电信业务",
        "互联网企业、制造企业、金融机构、政务部门",
        (40, 120),
        (0.85, 0.05, 0.15),
        (0.03, 0.06),
        (0.8, 1.8),
    ),
    _profile(
        "I6560",
        2,
        "信息咨询、数字科技、信息技术、数字化",
        "数策维智联远",
        "数字化转型咨询、信息化规划、IT运维外包、网络安全评估、信息系统监理、数据治理咨询",
        "信息技术咨询服务、信息系统集成服务、计算机网络技术开发、企业管理咨询",
        "",
        "中小制造企业、医院、学校、商贸企业",
        (20, 60),
        (0.7, 0.02, 0.08),
        (0.03, 0.06),
        (0.3, 0.9),
    ),
    _profile(
        "F5174",
        4,
        "五金、五金贸易、五金机电、五金交电",
        "金工锋利固达",
        "紧固件、电动工具、手动工具、五金配件、焊接材料、轴承、管件阀门",
        "五金产品的批发、机电设备的销售、建筑材料的购销、劳保用品的销售、电子元器件的销售",
        "",
        "工厂采购、建筑工地、维修市场、出口贸易",
        (150, 500),
        (0.03, 0.0, 0.01),
        (0.005, 0.015),
        (0.2, 0.5),
    ),
    _profile(
        "F5292",
        3,
        "电子商务、电商、网络、跨境电商",
        "购品优选易乐",
        "蓝牙耳机、户外用品、宠物用品、家居收纳、手机配件、美妆工具、运动水壶",
        "互联网销售（除销售需要许可的商品）、日用百货的销售、电子产品的销售、网络技术开发、供应链管理",
        "食品销售、第二类增值电信业务",
        "亚马逊、速卖通、天猫、抖音、独立站",
        (80, 300),
        (0.15, 0.005, 0.03),
        (0.008, 0.02),
        (0.2, 0.5),
    ),
    _profile(
        "G5431",
        1,
        "物流、运输、货运、物流科技",
        "运通达程畅驰",
        "城市配送、整车运输、零担运输、冷链运输、专线物流、集装箱拖车",
        "物流信息咨询、汽车租赁、装卸搬运服务、供应链管理服务",
        "道路货物运输（不含危险货物）",
        "电商平台、制造企业、商超门店、港口",
        (15, 40),
        (0.05, 0.005, 0.02),
        (0.02, 0.04),
        (0.5, 1.2),
    ),
    _profile(
        "G5821",
        3,
        "国际货运代理、供应链、物流、国际物流",
        "运通航达远洋",
        "海运订舱、空运代理、报关报检、跨境电商头程、国际快递、进出口供应链服务",
        "国际货运代理、国内货运代理、报关业务、供应链管理服务、仓储服务（不含危险化学品）",
        "无船承运业务",
        "外贸工厂、跨境卖家、进出口贸易商",
        (100, 300),
        (0.1, 0.005, 0.02),
        (0.005, 0.015),
        (0.2, 0.5),
    ),
    _profile(
        "G5990",
        2,
        "仓储、仓储服务、供应链管理、物流",
        "仓储运通安泰",
        "保税仓储、电商仓配一体化、恒温仓储、分拣包装、库存管理、VMI仓储",
        "普通货物仓储服务（不含危险化学品）、装卸搬运、供应链管理服务、物流信息咨询",
        "道路货物运输（不含危险货物）",
        "电商卖家、电子制造企业、进口商、商贸企业",
        (15, 50),
        (0.1, 0.005, 0.03),
        (0.02, 0.05),
        (0.6, 1.5),
    ),
    _profile(
        "M7320",
        2,
        "技术研究院、科技研究、检测技术、研发科技",
        "研创科智新源",
        "新材料中试、可靠性检测、电磁兼容测试、工艺开发、样品试制、失效分析",
        "工程和技术研究和试验发展、检测技术咨询、技术服务、新材料技术研发",
        "检验检测服务",
        "电子制造、新能源、高校科研、汽车零部件",
        (20, 60),
        (1.0, 0.15, 0.45),
        (0.02, 0.05),
        (0.8, 2.0),
    ),
    _profile(
        "M7491",
        2,
        "工业设计、产品设计、设计、创意设计",
        "艺形意造尚品",
        "消费电子外观设计、结构设计、手板模型制作、CMF设计、用户研究、包装设计",
        "工业设计服务、专业设计服务、模型制作、平面设计、技术咨询",
        "",
        "消费电子、智能硬件、家电、医疗器械",
        (15, 40),
        (0.6, 0.03, 0.1),
        (0.03, 0.06),
        (0.3, 0.9),
    ),
    _profile(
        "M7520",
        1,
        "知识产权服务、知识产权代理、知识产权",
        "智权慧诚衡正",
        "专利申请代理、商标注册代理、软件著作权登记、知识产权贯标、专利分析评议、高新技术企业认定咨询",
        "知识产权服务、版权代理、商标代理、专利信息咨询、技术咨询",
        "专利代理",
        "科技型企业、高校院所、制造企业",
        (15, 35),
        (0.2, 0.005, 0.03),
        (0.03, 0.06),
        (0.3, 0.8),
    ),
    _profile(
        "L7281",
        1,
        "会展服务、展览、会展、展览服务",
        "展博汇会通海",
        "科技展会策划、展台设计搭建、行业论坛组织、新品发布会、展会招商",
        "会议及展览服务、展台设计制作、礼仪服务、广告设计、企业形象策划",
        "",
        "电子信息企业、行业协会、政府部门",
        (40, 120),
        (0.1, 0.005, 0.02),
        (0.02, 0.05),
        (0.5, 1.2),
    ),
    _profile(
        "H6210",
        1,
        "餐饮管理、餐饮、酒楼、饮食",
        "味香膳粤湘客",
        "粤式早茶、潮汕牛肉火锅、湘菜、海鲜酒楼、团餐配送、企业食堂承包",
        "餐饮管理、餐饮企业管理咨询、预包装食品的销售、厨房设备的销售",
        "餐饮服务、食品经营、酒类零售",
        "周边工业园、写字楼、社区居民",
        (8, 18),
        (0.0, 0.0, 0.0),
        (0.02, 0.05),
        (0.3, 0.8),
    ),
    _profile(
        "E4710",
        1,
        "建筑工程、建设工程、建设、建筑",
        "建筑基城厦鹏",
        "住宅楼施工总承包、保障性住房建设、城中村改造、装配式住宅、高层住宅主体结构施工",
        "建筑工程项目管理、建筑材料的销售、建筑劳务分包、工程技术咨询",
        "建设工程施工、住宅室内装饰装修",
        "房地产开发项目、城市更新、保障房",
        (60, 150),
        (0.2, 0.005, 0.03),
        (0.02, 0.04),
        (0.8, 1.5),
    ),
)

_TOTAL_WEIGHT = sum(p["weight"] for p in INDUSTRIES)

_MAKE_EXTRAS = (
    "已通过ISO9001质量管理体系认证。",
    "产品出口欧美、东南亚等地区。",
    "拥有多条自动化生产线。",
    "客户覆盖华南及华东地区。",
    "通过IATF16949等体系认证。",
    "设有独立的研发中心和检测实验室。",
    "坚持以品质为本，交付周期短。",
)
_SERVE_EXTRAS = (
    "服务客户遍及珠三角地区。",
    "团队核心成员具有十年以上行业经验。",
    "已为数百家企业提供服务。",
    "坚持专业、高效、诚信的服务理念。",
    "在宝安及周边设有服务网点。",
)


def _sector(code: str) -> str:
    for prefix, sector in _SECTOR_BY_PREFIX:
        if code.startswith(prefix):
            return sector
    raise ValueError(code)


def _money(value: float) -> float:
    return round(max(value, 0.0), 2)


def _exact(value: float) -> Fraction:
    return Fraction(repr(value))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _founded(rng: random.Random, size: str, leap_day: bool) -> date:
    first, last = {"大型": (1995, 2013), "中型": (1996, 2020), "小型": (1998, 2024), "微型": (2004, 2025)}[
        size
    ]
    years = list(range(first, last + 1))
    year = rng.choices(years, weights=[1 + (y - first) // 3 for y in years])[0]
    if leap_day:
        leap = [y for y in years if y % 4 == 0 and y <= 2024]
        return date(rng.choice(leap), 2, 29)
    month = rng.randint(1, 12)
    return date(year, month, rng.randint(1, 28))


def _uscc(rng: random.Random, district: str, founded: date, used: set[str]) -> str:
    while True:
        if founded >= date(2016, 1, 1):
            body = "MA5" + "".join(rng.choice(reference.USCC_CHARSET) for _ in range(5))
        else:
            body = rng.choice(("192", "279", "618", "665", "680", "715", "723", "755", "785", "058", "088"))
            body += f"{rng.randrange(10**5):05d}"
        code = reference.uscc_with_check(f"91{reference.DISTRICT_CODES[district]}{body}")
        if code not in used:
            used.add(code)
            return code


def _trade_name(rng: random.Random, profile: dict, word: str) -> str:
    pool = "".join(c for c in profile["chars"] * 2 + _GENERAL_CHARS if c not in word)
    first = rng.choice(pool)
    second = rng.choice([c for c in pool if c != first])
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(_PLACE_PREFIXES) + first + second
    if roll < 0.2:
        third = rng.choice([c for c in _GENERAL_CHARS if c not in (first, second) and c not in word])
        return first + second + third
    if roll < 0.24:
        return rng.choice(("中科", "华美", "宏达", "永盛", "恒信", "天成")) + first + second
    return first + second


def _finances(rng: random.Random, profile: dict, size: str, founded: date) -> dict:
    sector = _sector(profile["code"])
    lo, hi, revenue_floor, assets_floor = _BANDS[sector][size]
    employees = rng.randint(lo, hi)
    per_head = rng.uniform(*profile["per_head"])
    age = (AS_OF - founded).days / 365
    revenue = (
        employees * per_head * rng.uniform(0.7, 1.2) * min(1.0, 0.35 + 0.22 * age)
    )  # young firms ramp up
    if revenue < revenue_floor:
        revenue = revenue_floor * rng.uniform(1.02, 1.6)
    if sector == "建筑业" and size == "微型":
        revenue = min(revenue, rng.uniform(60, 290))
    if sector == "建筑业" and size in ("小型", "中型"):
        revenue = min(revenue, {"小型": 5900, "中型": 79000}[size] * rng.uniform(0.5, 1.0))
    start_up = founded >= date(2025, 3, 1) and size == "微型" and rng.random() < 0.35
    if start_up:
        revenue = 0.0
    assets = revenue * rng.uniform(*profile["assets"]) if revenue else rng.uniform(20, 300)
    if assets < assets_floor:
        assets = assets_floor * rng.uniform(1.05, 1.8)
    revenue = _money(round(revenue, 1))
    assets = _money(round(assets, 1))
    share, rd_lo, rd_hi = profile["rd"]
    rd = 0.0
    if revenue and rng.random() < min(1.0, share + (0.25 if size in ("中型", "大型") else 0.0)):
        ratio = rng.uniform(rd_lo, rd_hi)
        rd = _money(round(revenue * ratio, rng.choice((1, 2))))
        if rng.random() < 0.04 and rd_hi >= 0.03:
            # a firm exactly on the 3 % line, the edge case policy conditions care about
            revenue = float(round(revenue))
            rd = float(Fraction(round(revenue)) * 3 / 100)
    tax = _money(round(revenue * rng.uniform(*profile["tax"]), 1)) if revenue else 0.0
    if revenue and size == "微型" and rng.random() < 0.3:
        tax = _money(round(tax * rng.uniform(0.1, 0.5), 2))  # small-scale taxpayer relief
    return {
        "employees": employees,
        "revenue_wan": revenue,
        "assets_wan": assets,
        "rd_expense_wan": rd,
        "tax_paid_wan": tax,
    }


def rd_ratio(record: dict) -> Fraction:
    """Return the exact rd_expense_wan / revenue_wan of a record (0 when revenue is 0)."""
    revenue = _exact(record["revenue_wan"])
    return _exact(record["rd_expense_wan"]) / revenue if revenue else Fraction(0)


def _qualifications(rng: random.Random, record: dict, size: str) -> list[str]:
    code = record["industry_code"]
    revenue = _exact(record["revenue_wan"])
    years = reference.years_since(date.fromisoformat(record["founded"]), AS_OF)
    ratio = rd_ratio(record)
    tech = ratio > 0
    section_c = code.startswith("C")
    held: set[str] = set()
    if section_c and revenue >= 2000:
        held.add("规模以上工业企业")
    if (code.startswith("F51") and revenue >= 2000) or (code.startswith("F52") and revenue >= 500):
        held.add("限额以上批发零售企业")
    if ratio >= Fraction(3, 100) and years >= 1:
        chance = {"微型": 0.25, "小型": 0.55, "中型": 0.75, "大型": 0.85}[size]
        if rng.random() < chance:
            held.add("国家高新技术企业")
    if size != "大型":
        if tech and rng.random() < 0.45:
            held.add("科技型中小企业")
        roll = rng.random()
        mature = years >= 2 and tech and size != "微型"
        if mature and roll < 0.1 and (section_c or code.startswith("I65")):
            held.update(('专精特新"小巨人"企业', "专精特新中小企业", "创新型中小企业"))
        elif mature and roll < 0.26:
            held.update(("专精特新中小企业", "创新型中小企业"))
        elif tech and years >= 1 and roll < 0.4:
            held.add("创新型中小企业")
    if "专精特新中小企业" in held and ratio >= Fraction(3, 100) and years >= 1:
        held.add("国家高新技术企业")  # specialised SMEs that qualify are, in practice, certified too
    if section_c:
        if (size == "大型" and rng.random() < 0.3) or (size == "中型" and rng.random() < 0.03):
            held.add("制造业单项冠军企业")
        if revenue >= 2000 and rng.random() < 0.12:
            held.add("绿色工厂")
    if (size == "大型" and rng.random() < 0.45) or (size == "中型" and rng.random() < 0.04):
        held.add("上市企业")
    if size == "大型" and rng.random() < 0.4:
        held.add("总部企业")
    if tech and size != "微型" and ratio >= Fraction(3, 100) and rng.random() < 0.1:
        held.add("知识产权优势企业")
    return [q for q in reference.QUALIFICATIONS if q in held]


def _scope(rng: random.Random, profile: dict) -> str:
    general = rng.sample(profile["scope"], k=min(len(profile["scope"]), rng.randint(2, 4)))
    general += [s for s in rng.sample(_COMMON_SCOPE, k=rng.randint(0, 2)) if s not in general]
    product_items = rng.sample(profile["products"], k=2)
    if profile["code"].startswith("C"):
        general.insert(rng.randint(0, len(general)), f"{product_items[0]}、{product_items[1]}的研发与销售")
    rng.shuffle(general)
    licensed = (
        rng.sample(profile["licensed"], k=rng.randint(1, len(profile["licensed"])))
        if profile["licensed"]
        else []
    )

    def text() -> str:
        return f"一般经营项目是：{'；'.join(general)}；许可经营项目是：{'；'.join(licensed) or '无'}。"

    extra = [s for s in _COMMON_SCOPE if s not in general]
    while len(text()) < 60 and extra:
        general.append(extra.pop(rng.randrange(len(extra))))
    while len(text()) > 200 and len(general) > 1:
        general.pop()
    return text()


def _description(rng: random.Random, profile: dict, record: dict, size: str) -> str:
    p = rng.sample(profile["products"], k=3)
    apps = "、".join(rng.sample(profile["apps"], k=min(3, len(profile["apps"]))))
    year = record["founded"][:4]
    if profile["code"].startswith("C"):
        extras = _MAKE_EXTRAS
        templates = (
            f"公司主营{p[0]}、{p[1]}等产品的研发、生产和销售。",
            f"专注于{p[0]}的研发制造，产品还包括{p[1]}和{p[2]}，广泛应用于{apps}等领域。",
            f"主要产品：{p[0]}、{p[1]}、{p[2]}。",
            f"{p[0]}及{p[1]}专业制造商，产品应用于{apps}。",
            f"公司成立于{year}年，是一家从事{p[0]}、{p[1]}研发与制造的企业。",
        )
    elif profile["code"].startswith("F"):
        extras = _SERVE_EXTRAS
        templates = (
            f"主要经营{p[0]}、{p[1]}、{p[2]}等商品，销售渠道涵盖{apps}。",
            f"公司成立于{year}年，主营{p[0]}和{p[1]}的销售。",
            f"以{p[0]}、{p[1]}为主营品类，面向{apps}等渠道供货。",
        )
    else:
        extras = _SERVE_EXTRAS
        templates = (
            f"公司主要提供{p[0]}、{p[1]}等服务，客户包括{apps}。",
            f"专注于{p[0]}和{p[1]}，为{apps}提供一站式服务。",
            f"公司成立于{year}年，主营业务为{p[0]}、{p[1]}及{p[2]}。",
            f"业务涵盖{p[0]}、{p[1]}、{p[2]}等。",
        )
    text = rng.choice(templates)
    if size in ("中型", "大型") and rng.random() < 0.6:
        text += f"现有员工{record['employees']}人。"
    pool = list(extras)
    rng.shuffle(pool)
    while (len(text) < 30 or rng.random() < 0.35) and pool:
        candidate = text + pool.pop()
        if len(candidate) > 120:
            break
        text = candidate
    return text


def enterprise_records(count: int = 240, seed: int = 2026) -> list[dict]:
    """Return count deterministic demo enterprises in the benchmark record format (SCHEMA.md)."""
    rng = random.Random(seed)
    used_uscc: set[str] = set()
    used_names: set[str] = set()
    baoan_streets = list(reference.STREETS)
    rng.shuffle(baoan_streets)  # the first ten 宝安区 firms cover every street
    baoan_seen = 0
    records = []
    for index in range(count):
        profile = rng.choices(INDUSTRIES, weights=[p["weight"] for p in INDUSTRIES])[0]
        code = profile["code"]
        size = rng.choices(SIZES, weights=profile["sizes"])[0]
        founded = _founded(rng, size, leap_day=index % 80 == 41)
        if rng.random() < 0.85:
            district = BAOAN
            if baoan_seen < len(baoan_streets):
                street = baoan_streets[baoan_seen]
            else:
                street = _pick(rng, _FACTORY_STREET_WEIGHTS if code[0] in "CEG" else _SERVICE_STREET_WEIGHTS)
            baoan_seen += 1
        else:
            district = _pick(rng, _OTHER_DISTRICT_WEIGHTS)
            street = rng.choice(OTHER_DISTRICTS[district])
        record: dict = {
            "uscc": _uscc(rng, district, founded, used_uscc),
            "name": "",
            "registered_district": district,
            "street": street,
            "industry_code": code,
            "founded": founded.isoformat(),
        }
        record.update(_finances(rng, profile, size, founded))
        actual = reference.size_class(code, record["employees"], record["revenue_wan"], record["assets_wan"])
        record["qualifications"] = _qualifications(rng, record, actual)
        listed = "上市企业" in record["qualifications"]
        joint_stock = listed or rng.random() < {"大型": 0.3, "中型": 0.15, "小型": 0.03, "微型": 0.0}[actual]
        suffix = "股份有限公司" if joint_stock else "有限公司"
        while True:
            word = rng.choice(profile["words"])
            name = f"深圳市{_trade_name(rng, profile, word)}{word}{suffix}"
            if name not in used_names:
                used_names.add(name)
                break
        record["name"] = name
        record["credit_ok"] = rng.random() < 0.96
        record["business_scope"] = _scope(rng, profile)
        record["description"] = _description(rng, profile, record, actual)
        records.append(record)
    return records


def bank_records() -> list[dict]:
    """Return the three demo partner banks as {name, short_name}."""
    return [
        {"name": "中国工商银行深圳宝安支行", "short_name": "工行宝安支行"},
        {"name": "招商银行深圳分行宝安支行", "short_name": "招行宝安支行"},
        {"name": "深圳农村商业银行宝安支行", "short_name": "深圳农商行宝安支行"},
    ]


def park_records() -> list[dict]:
    """Return the three demo virtual parks as {name, description, industry_prefixes, qualifications}."""
    return [
        {
            "name": "宝安新一代电子信息虚拟园区",
            "description": (
                "面向宝安区电子电路、光电显示、通信终端及电子元器件等新一代电子信息企业。"
                "园区汇集产业链上下游企业，提供政策匹配、供需对接和融资服务。"
                "入园企业可一站式查看适用的电子信息产业扶持政策。"
            ),
            "industry_prefixes": ["C39"],
            "qualifications": [],
        },
        {
            "name": "宝安新能源与智能网联汽车虚拟园区",
            "description": (
                "聚焦锂离子电池、新能源整车、汽车零部件及电力电子器件企业。"
                "园区围绕电池、电驱、电控和车载电子等环节推动链上企业协同配套。"
                "为入园企业提供技术改造、绿色低碳和市场开拓方面的政策服务。"
            ),
            "industry_prefixes": ["C3841", "C3612", "C367", "C3824"],
            "qualifications": [],
        },
        {
            "name": "宝安专精特新企业虚拟园区",
            "description": (
                "汇聚宝安区获评专精特新中小企业和专精特新“小巨人”称号的企业。"
                "园区提供梯度培育、研发资助、融资对接和上市辅导等服务，助力企业做精做强。"
            ),
            "industry_prefixes": [],
            "qualifications": ["专精特新中小企业", '专精特新"小巨人"企业'],
        },
    ]
