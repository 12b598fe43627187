"""zhengai: teaching diagnosis and improvement (教学工作诊断与改进) for vocational schools."""

__version__ = "0.1.0"
